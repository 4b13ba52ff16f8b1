import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createJiraDestination } from '../../src/adapters/destinations/jira/create-jira-destination.ts';
import type { Destination } from '../../src/domain/delivery/destination.ts';
import { LINK_EVENT_SAMPLES } from '../../src/domain/events/sample-link-events.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { alertEvent, escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint, MemoryState } from './destination-fixtures.ts';
import { loopbackHttpClient, startReceiver, type Receiver, type Recorded, type Reply } from './recording-receiver.ts';

// The jira destination against a loopback server playing just enough of
// Jira's REST API v2 (issue, comment, transitions, JQL search) to check the
// exact requests and the lifecycle.

interface Issue {
  key: string;
  fields: { summary: string; description: string; labels: string[]; issuetype: { name: string }; project: { key: string } };
  status: 'To Do' | 'Done';
  comments: string[];
}

const BASIC = `Basic ${Buffer.from('bot@acme.example:atl-token').toString('base64')}`;
const BEARER = 'Bearer dc-pat-123';
const TRANSITIONS = [
  { id: '11', name: 'Start progress', to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } },
  { id: '31', name: 'Close it', to: { name: 'Done', statusCategory: { key: 'done' } } },
];

function fakeJira(issues: Issue[]): (req: Recorded) => Reply {
  return (req) => {
    if (req.headers.authorization !== BASIC && req.headers.authorization !== BEARER) return { status: 401, body: { errorMessages: ['unauthorized'] } };
    const cloud = req.headers.authorization === BASIC;
    const m = /^\/rest\/api\/2\/issue\/([A-Z]+-\d+)(\/comment|\/transitions)?$/.exec(req.path);
    const issue = m ? issues.find((i) => i.key === m[1]) : undefined;
    // Cloud has only search/jql (the old one answers 410); Data Center only search.
    if (req.method === 'GET' && req.path === (cloud ? '/rest/api/2/search/jql' : '/rest/api/2/search')) {
      const jql = req.query.get('jql') ?? '';
      const label = /labels = "([^"]+)"/.exec(jql)?.[1];
      const project = /project = "([^"]+)"/.exec(jql)?.[1];
      assert.match(jql, /statusCategory != Done/);
      const found = issues.filter((i) => i.fields.labels.includes(label ?? '-') && i.fields.project.key === project && i.status !== 'Done').reverse();
      return { status: 200, body: { issues: found.map((i) => ({ id: i.key, key: i.key, fields: { description: i.fields.description } })) } };
    }
    if (req.method === 'GET' && req.path.startsWith('/rest/api/2/search')) return { status: 410, body: { errorMessages: ['The requested API has been removed.'] } };
    if (req.method === 'POST' && req.path === '/rest/api/2/issue') {
      const key = `${req.json.fields.project.key}-${issues.length + 1}`;
      issues.push({ key, fields: req.json.fields, status: 'To Do', comments: [] });
      return { status: 201, body: { id: String(10000 + issues.length), key, self: `http://jira/rest/api/2/issue/${key}` } };
    }
    if (!issue) return { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] } };
    if (req.method === 'POST' && m?.[2] === '/comment') {
      issue.comments.push(req.json.body);
      return { status: 201, body: { id: String(issue.comments.length) } };
    }
    if (req.method === 'GET' && m?.[2] === undefined) return { status: 200, body: { key: issue.key, fields: { status: { name: issue.status, statusCategory: { key: issue.status === 'Done' ? 'done' : 'new' } } } } };
    if (req.method === 'GET' && m?.[2] === '/transitions') return { status: 200, body: { transitions: TRANSITIONS } };
    if (req.method === 'POST' && m?.[2] === '/transitions') {
      const t = TRANSITIONS.find((x) => x.id === req.json.transition?.id);
      if (!t) return { status: 400, body: { errorMessages: ['bad transition'] } };
      if (t.to.statusCategory.key === 'done') issue.status = 'Done';
      return { status: 204 };
    }
    return { status: 405 };
  };
}

describe('jira destination', () => {
  const issues: Issue[] = [];
  const http = loopbackHttpClient();
  let receiver: Receiver;
  let jira: Destination;
  let cloudSettings: Record<string, unknown>;

  before(async () => {
    receiver = await startReceiver(fakeJira(issues));
    jira = createJiraDestination(http);
    cloudSettings = { base_url: receiver.url, deployment: 'cloud', project_key: 'OPS', issue_type: 'Bug', email: 'bot@acme.example', api_token: 'atl-token', resolve_transition: 'close it' };
  });
  after(async () => {
    http.close();
    await receiver.close();
  });
  beforeEach(() => {
    issues.length = 0;
    receiver.requests.length = 0;
  });

  it('creates one issue, comments on a repeat, comments and transitions to Done on resolve', async () => {
    const endpoint = makeEndpoint('jira', cloudSettings);
    assert.deepEqual(jira.validate(endpoint), []);
    const state = new MemoryState();
    const first = alertEvent('triggered', 'rule_spike:lnk_1');
    const r1 = await jira.send(makeCtx(first, endpoint, state));
    assert.equal(r1.ok, true, r1.error ?? '');
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), ['GET /rest/api/2/search/jql', 'POST /rest/api/2/issue']);
    assert.equal(receiver.requests[1]?.headers.authorization, BASIC);
    assert.equal(r1.request?.headers.authorization, '[redacted]');
    const issue = issues[0];
    assert.ok(issue);
    assert.equal(issue.key, 'OPS-1');
    assert.deepEqual(issue.fields.project, { key: 'OPS' });
    assert.deepEqual(issue.fields.issuetype, { name: 'Bug' });
    assert.equal(issue.fields.summary, 'Alert: Click spike on campaign links on go.acme.example/spring');
    assert.deepEqual(issue.fields.labels[0], 'linkhook');
    assert.match(issue.fields.labels[1] ?? '', /^linkhook-fp-[0-9a-f]{16}$/);
    assert.match(issue.fields.description, /^\*go\.acme\.example\/spring got 1,240 clicks in 15 min, 6\.2x its usual 200\*/);
    assert.match(issue.fields.description, /\|\|Figures\|clicks: 1240, threshold 600, over 15m\|/);
    assert.match(issue.fields.description, /\[Open short link\|https:\/\/go\.acme\.example\/spring\]/);

    receiver.requests.length = 0;
    assert.equal((await jira.send(makeCtx(alertEvent('triggered', 'rule_spike:lnk_1'), endpoint, state))).ok, true);
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), ['POST /rest/api/2/issue/OPS-1/comment']);
    assert.match(issue.comments[0] ?? '', /Triggered again/);

    receiver.requests.length = 0;
    const resolved = await jira.send(makeCtx(alertEvent('resolved', 'rule_spike:lnk_1'), endpoint, state));
    assert.equal(resolved.ok, true, resolved.error ?? '');
    assert.deepEqual(receiver.requests.map((r) => `${r.method} ${r.path}`), [
      'POST /rest/api/2/issue/OPS-1/comment',
      'GET /rest/api/2/issue/OPS-1',
      'GET /rest/api/2/issue/OPS-1/transitions',
      'POST /rest/api/2/issue/OPS-1/transitions',
    ]);
    assert.deepEqual(receiver.requests.at(-1)?.json, { transition: { id: '31' } });
    assert.equal(issue.status, 'Done');
    assert.equal(issues.length, 1);
  });

  it('a storm creates one issue "N links tripped <rule>" listing the worst cases; an escalation comments as one', async () => {
    const endpoint = makeEndpoint('jira', cloudSettings);
    const state = new MemoryState();
    const storm = await jira.send(makeCtx(groupedAlertEvent(), endpoint, state));
    assert.equal(storm.ok, true, storm.error ?? '');
    const issue = issues[0];
    assert.ok(issue);
    assert.equal(issue.fields.summary, 'Alert: 12 links tripped Click spike on campaign links');
    assert.match(issue.fields.description, /\|\|Links affected\|12\|/);
    assert.ok(
      issue.fields.description.includes('*Worst cases* (of 12):\n* /spring got 1240 clicks in 15m (threshold 600)\n* /summer got 900 clicks in 15m (threshold 600)'),
      issue.fields.description,
    );

    assert.equal((await jira.send(makeCtx(alertEvent('triggered', OTHER_EVENT_SAMPLES['alert.triggered'].data.alert.fingerprint), endpoint, state))).ok, true);
    const escalated = escalatedAlertEvent();
    const r = await jira.send(makeCtx(escalated, endpoint, state));
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(issues.length, 2, 'the escalation is about the same alert: a comment, not an issue');
    const comment = issues[1]?.comments[0] ?? '';
    assert.ok(comment.startsWith(`(!) *Escalated: not acknowledged within 30m* (escalated at ${escalated.timestamp})\n\nEscalated: not acknowledged within 30m. go.acme.example/spring got 1,240 clicks`), comment);
    assert.match(comment, /\|\|Escalated\|not acknowledged within 30m \(triggered 2026-03-14T09:30:00\.000Z\)\|/);
  });

  it('never creates a second issue when the create is retried before it was recorded', async () => {
    const endpoint = makeEndpoint('jira', cloudSettings);
    const state = new MemoryState();
    const event = alertEvent('triggered', 'rule_drop:lnk_2');
    state.failNextSet = true;
    assert.equal((await jira.send(makeCtx(event, endpoint, state))).ok, false);
    const retry = await jira.send(makeCtx(event, endpoint, state, 2));
    assert.equal(retry.ok, true, retry.error ?? '');
    assert.match(retry.response?.body ?? '', /already opened by this event/);
    assert.equal(issues.length, 1);
    assert.deepEqual(issues[0]?.comments, []);
  });

  it('works with Data Center: bearer token and the classic search API', async () => {
    const endpoint = makeEndpoint('jira', { project_key: 'OPS', bearer_token: 'dc-pat-123' }, receiver.url);
    assert.deepEqual(jira.validate(endpoint), []);
    const state = new MemoryState();
    assert.equal((await jira.send(makeCtx(alertEvent('triggered', 'dc'), endpoint, state))).ok, true);
    assert.deepEqual(receiver.requests.map((r) => r.path), ['/rest/api/2/search', '/rest/api/2/issue']);
    assert.equal(receiver.requests[1]?.headers.authorization, BEARER);
    assert.deepEqual(issues[0]?.fields.issuetype, { name: 'Task' });
    // Default resolve_transition "Done" matches the target status's name.
    assert.equal((await jira.send(makeCtx(alertEvent('resolved', 'dc'), endpoint, state))).ok, true);
    assert.equal(issues[0]?.status, 'Done');
  });

  it('resolving an issue someone already closed only comments; other events are refused', async () => {
    const endpoint = makeEndpoint('jira', cloudSettings);
    const state = new MemoryState();
    await jira.send(makeCtx(alertEvent('triggered', 'manual'), endpoint, state));
    (issues[0] as Issue).status = 'Done';
    receiver.requests.length = 0;
    const r = await jira.send(makeCtx(alertEvent('resolved', 'manual'), endpoint, state));
    assert.equal(r.ok, true, r.error ?? '');
    assert.deepEqual(receiver.requests.map((x) => `${x.method} ${x.path}`), ['POST /rest/api/2/issue/OPS-1/comment', 'GET /rest/api/2/issue/OPS-1']);

    const clicked = await jira.send(makeCtx(LINK_EVENT_SAMPLES['link.clicked'], endpoint, state));
    assert.deepEqual([clicked.ok, clicked.permanent, clicked.errorClass], [false, true, 'config']);
  });

  it('validates base URL, project key and credentials', () => {
    const fields = (s: Record<string, unknown>, url: string | null = null): string[] => jira.validate({ url, settings: s }).map((p) => p.field);
    assert.deepEqual(fields({ project_key: 'OPS', email: 'a@b.example', api_token: 't' }, 'https://acme.atlassian.net'), []);
    assert.deepEqual(fields({ base_url: 'nope', project_key: 'ops', bearer_token: 'x', email: 'a@b.example' }), ['settings.base_url', 'settings.project_key', 'settings.api_token']);
    assert.deepEqual(fields({ base_url: 'https://jira.acme.example', project_key: 'OPS' }), ['settings.api_token']);
  });
});
