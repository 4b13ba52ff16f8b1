import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createGithubDestination } from '../../src/adapters/destinations/github/create-github-destination.ts';
import type { Destination } from '../../src/domain/delivery/destination.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { LINK_EVENT_SAMPLES } from '../../src/domain/events/sample-link-events.ts';
import { alertEvent, escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint, MemoryState } from './destination-fixtures.ts';
import { loopbackHttpClient, startReceiver, type Receiver, type Recorded, type Reply } from './recording-receiver.ts';

// The github destination against a loopback server playing just enough of
// GitHub's REST API (issues, comments, search) to check the exact requests
// and the lifecycle: one issue per alert, comments on repeats, closed on
// resolve, and no second issue when a create is retried.

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  state_reason: string | null;
  comments: string[];
  /** Pretend 100 newer issues push it off the first page of the list: only search finds it. */
  old: boolean;
}

const TOKEN = 'github_pat_test123';
const REPO = '/repos/acme/site';

function fakeGithub(issues: Issue[]): (req: Recorded) => Reply {
  return (req) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'Bad credentials' } };
    if (req.headers['x-github-api-version'] !== '2022-11-28') return { status: 400, body: { message: 'api version' } };
    const n = /^\/repos\/acme\/site\/issues\/(\d+)(\/comments)?$/.exec(req.path);
    const issue = n ? issues.find((i) => i.number === Number(n[1])) : undefined;
    if (req.method === 'GET' && req.path === `${REPO}/issues`) {
      const open = issues.filter((i) => i.state === req.query.get('state') && !i.old).reverse();
      return { status: 200, body: open.map((i) => ({ number: i.number, body: i.body, labels: i.labels.map((name) => ({ name })) })) };
    }
    if (req.method === 'GET' && req.path === '/search/issues') {
      const q = req.query.get('q') ?? '';
      const tag = /"linkhook:fingerprint=([^"]+)"/.exec(q)?.[1] ?? '-';
      const items = issues.filter((i) => i.state === 'open' && i.body.includes(tag));
      return { status: 200, body: { total_count: items.length, items: items.map((i) => ({ number: i.number, body: i.body })) } };
    }
    if (req.method === 'POST' && req.path === `${REPO}/issues`) {
      const i: Issue = { number: issues.length + 1, title: req.json.title, body: req.json.body, labels: req.json.labels ?? [], state: 'open', state_reason: null, comments: [], old: false };
      issues.push(i);
      return { status: 201, body: { number: i.number, html_url: `https://github.com/acme/site/issues/${i.number}` } };
    }
    if (req.method === 'POST' && issue && n?.[2]) {
      issue.comments.push(req.json.body);
      return { status: 201, body: { id: issue.comments.length } };
    }
    if (req.method === 'PATCH' && issue && !n?.[2]) {
      issue.state = req.json.state;
      issue.state_reason = req.json.state_reason;
      return { status: 200, body: { number: issue.number, state: issue.state } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };
}

describe('github destination', () => {
  const issues: Issue[] = [];
  const http = loopbackHttpClient();
  let receiver: Receiver;
  let github: Destination;
  let settings: Record<string, unknown>;

  before(async () => {
    receiver = await startReceiver(fakeGithub(issues));
    github = createGithubDestination(http);
    settings = { repo: 'acme/site', token: TOKEN, api_url: receiver.url, labels: ['linkhook', 'alert'] };
  });
  after(async () => {
    http.close();
    await receiver.close();
  });
  beforeEach(() => {
    issues.length = 0;
    receiver.requests.length = 0;
  });

  it('opens one issue, comments on a repeat, comments and closes on resolve, then opens anew', async () => {
    const endpoint = makeEndpoint('github', settings);
    assert.deepEqual(github.validate(endpoint), []);
    const state = new MemoryState();
    const first = alertEvent('triggered', 'rule_spike:lnk_1');
    const r1 = await github.send(makeCtx(first, endpoint, state));
    assert.equal(r1.ok, true, r1.error ?? '');
    assert.match(r1.response?.body ?? '', /^linkhook: opened 1\n/);
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), [`GET ${REPO}/issues`, 'GET /search/issues', `POST ${REPO}/issues`]);
    assert.equal(receiver.requests[0]?.query.get('labels'), 'linkhook,alert');
    assert.equal(receiver.requests[2]?.headers.accept, 'application/vnd.github+json');
    assert.equal(r1.request?.headers.authorization, '[redacted]');
    const issue = issues[0];
    assert.ok(issue);
    assert.equal(issue.title, 'Alert: Click spike on campaign links on go.acme.example/spring');
    assert.deepEqual(issue.labels, ['linkhook', 'alert']);
    assert.match(issue.body, /^\*\*go\.acme\.example\/spring got 1,240 clicks in 15 min, 6\.2x its usual 200\*\*/);
    assert.match(issue.body, /\| Figures \| clicks: 1240, threshold 600, over 15m \|/);
    assert.match(issue.body, /\| Owner \| Ana Lopez \\\(ana\\@acme\.example\\\) \|/);
    assert.match(issue.body, /\| Action \| Check the campaign/);
    assert.match(issue.body, /\[Open short link\]\(https:\/\/go\.acme\.example\/spring\)/);
    assert.match(issue.body, new RegExp(`<!-- linkhook:fingerprint=linkhook-fp-[0-9a-f]{16} event=${first.id} -->$`));

    receiver.requests.length = 0;
    const again = await github.send(makeCtx(alertEvent('triggered', 'rule_spike:lnk_1', { value: 1500 }), endpoint, state));
    assert.equal(again.ok, true, again.error ?? '');
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), [`POST ${REPO}/issues/1/comments`]);
    assert.equal(issues.length, 1);
    assert.match(issue.comments[0] ?? '', /Triggered again/);
    assert.match(issue.comments[0] ?? '', /clicks: 1500/);

    receiver.requests.length = 0;
    const resolved = await github.send(makeCtx(alertEvent('resolved', 'rule_spike:lnk_1'), endpoint, state));
    assert.equal(resolved.ok, true, resolved.error ?? '');
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), [`POST ${REPO}/issues/1/comments`, `PATCH ${REPO}/issues/1`]);
    assert.deepEqual([issue.state, issue.state_reason], ['closed', 'completed']);
    assert.match(issue.comments[1] ?? '', /Resolved/);

    const later = await github.send(makeCtx(alertEvent('triggered', 'rule_spike:lnk_1'), endpoint, state));
    assert.equal(later.ok, true);
    assert.deepEqual(issues.map((i) => [i.number, i.state]), [[1, 'closed'], [2, 'open']]);
  });

  it('a storm opens one issue "N links tripped <rule>" listing the worst cases; an escalation comments as one', async () => {
    const endpoint = makeEndpoint('github', settings);
    const state = new MemoryState();
    const storm = await github.send(makeCtx(groupedAlertEvent(), endpoint, state));
    assert.equal(storm.ok, true, storm.error ?? '');
    const issue = issues[0];
    assert.ok(issue);
    assert.equal(issue.title, 'Alert: 12 links tripped Click spike on campaign links');
    assert.match(issue.body, /\| Links affected \| 12 \|/);
    assert.ok(
      issue.body.includes('**Worst cases** (of 12):\n- /spring got 1240 clicks in 15m \\(threshold 600\\)\n- /summer got 900 clicks in 15m \\(threshold 600\\)'),
      issue.body,
    );

    const first = await github.send(makeCtx(alertEvent('triggered', OTHER_EVENT_SAMPLES['alert.triggered'].data.alert.fingerprint), endpoint, state));
    assert.equal(first.ok, true, first.error ?? '');
    const escalated = escalatedAlertEvent();
    const r = await github.send(makeCtx(escalated, endpoint, state));
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(issues.length, 2, 'the escalation is about the same alert: a comment, not an issue');
    const comment = issues[1]?.comments[0] ?? '';
    assert.ok(comment.startsWith(`🚨 **Escalated: not acknowledged within 30m** (escalated at ${escalated.timestamp.replace(/-/g, '\\-')})\n\nEscalated: not acknowledged within 30m. go.acme.example/spring got 1,240 clicks`), comment);
    assert.match(comment, /\| Escalated \| not acknowledged within 30m \\\(triggered 2026\\-03\\-14T09:30:00\.000Z\\\) \|/);
  });

  it('never opens a second issue when the create is retried before it was recorded', async () => {
    const endpoint = makeEndpoint('github', settings);
    const state = new MemoryState();
    const event = alertEvent('triggered', 'rule_drop:lnk_2');
    state.failNextSet = true;
    const lost = await github.send(makeCtx(event, endpoint, state));
    assert.equal(lost.ok, false, 'the engine will retry');
    assert.equal(issues.length, 1);

    const retry = await github.send(makeCtx(event, endpoint, state, 2));
    assert.equal(retry.ok, true, retry.error ?? '');
    assert.match(retry.response?.body ?? '', /already opened by this event/);
    assert.equal(issues.length, 1);
    assert.deepEqual(issues[0]?.comments, [], 'the retry of the opening event adds no comment');

    // And the state remembers it now: a repeat goes straight to a comment.
    receiver.requests.length = 0;
    await github.send(makeCtx(alertEvent('triggered', 'rule_drop:lnk_2'), endpoint, state));
    assert.deepEqual(receiver.requests.map((r) => r.method), ['POST']);
    assert.equal(issues[0]?.comments.length, 1);
  });

  it('finds an older open issue through search when the state was lost', async () => {
    const endpoint = makeEndpoint('github', settings);
    await github.send(makeCtx(alertEvent('triggered', 'rule_utm:lnk_3'), endpoint, new MemoryState()));
    (issues[0] as Issue).old = true;
    const r = await github.send(makeCtx(alertEvent('triggered', 'rule_utm:lnk_3'), endpoint, new MemoryState()));
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.comments.length, 1);
  });

  it('tracks broken redirects like alerts and refuses other events permanently', async () => {
    const endpoint = makeEndpoint('github', settings);
    const state = new MemoryState();
    assert.equal((await github.send(makeCtx(OTHER_EVENT_SAMPLES['link.redirect_failed'] as EventEnvelope, endpoint, state))).ok, true);
    assert.equal(issues[0]?.title, 'Broken redirect: go.acme.example/spring');
    assert.equal((await github.send(makeCtx(OTHER_EVENT_SAMPLES['link.redirect_recovered'] as EventEnvelope, endpoint, state))).ok, true);
    assert.equal(issues[0]?.state, 'closed');

    const before = receiver.requests.length;
    const clicked = await github.send(makeCtx(LINK_EVENT_SAMPLES['link.clicked'], endpoint, state));
    assert.deepEqual([clicked.ok, clicked.permanent, clicked.errorClass], [false, true, 'config']);
    assert.equal(receiver.requests.length, before);
  });

  it('resolving an alert with no open issue is a no-op; an unknown repo is permanent', async () => {
    const r = await github.send(makeCtx(alertEvent('resolved', 'never-opened'), makeEndpoint('github', settings)));
    assert.equal(r.ok, true);
    assert.match(r.response?.body ?? '', /nothing open to resolve/);
    const wrong = await github.send(makeCtx(alertEvent('triggered', 'x'), makeEndpoint('github', { ...settings, repo: 'acme/nope' })));
    assert.deepEqual([wrong.ok, wrong.permanent, wrong.response?.status], [false, true, 404]);
  });

  it('validates repo, token, API URL and labels', () => {
    const fields = (s: Record<string, unknown>): string[] => github.validate({ url: null, settings: s }).map((p) => p.field);
    assert.deepEqual(fields({ repo: 'acme/site', token: 't' }), []);
    assert.deepEqual(fields({ repo: 'acme', token: '' }), ['settings.repo', 'settings.token']);
    assert.deepEqual(fields({ repo: 'acme/site', token: 't', api_url: 'ftp://x' }), ['settings.api_url']);
    assert.deepEqual(fields({ repo: 'acme/site', token: 't', labels: 'bug' }), ['settings.labels']);
  });
});
