import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { describeEvent } from '../describe-event.ts';
import { configFailure, USER_AGENT } from '../send-http-request.ts';
import { createStepRunner, runTicketLifecycle, StepFailed, TICKET_EVENT_TYPES, ticketSubject, type OpenTicket, type TicketSubject, type TicketTracker } from '../ticket-lifecycle.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { issueTitle, parseMarker, renderComment, renderIssueBody } from './render-github-issue.ts';

// `github`: an issue per alert in settings.repo ("owner/name"), through the
// REST API (api.github.com, or a GitHub Enterprise Server's /api/v3 in
// settings.api_url), authenticated with settings.token (a fine-grained
// token with Issues: read and write). Lifecycle in ticket-lifecycle.ts.
//
// Finding the open issue of an alert when the state does not know it:
// first the newest 100 open issues (the issues list is consistent: an
// issue created a moment ago is in it), then the search API (covers older
// issues, but its index lags by seconds to a minute).
//
// 404 (no such repo, or the token cannot see it) and 422 (e.g. a label the
// token may not create) cannot be fixed by retrying: permanent. 401/403
// are retried: GitHub's secondary rate limit answers 403, and a replaced
// token makes the waiting deliveries go through.

export const GITHUB_API_URL = 'https://api.github.com';
const PERMANENT = new Set([400, 404, 422]);

interface GithubSettings {
  owner: string;
  repo: string;
  token: string;
  apiUrl: string;
  labels: string[];
}

function parseSettings(endpoint: { url: string | null; settings: Record<string, unknown> }): { settings: GithubSettings | null; problems: FieldProblem[] } {
  const s = endpoint.settings;
  const problems: FieldProblem[] = [];
  const repo = typeof s.repo === 'string' ? /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(s.repo) : null;
  if (!repo) problems.push({ field: 'settings.repo', message: 'must be "owner/name" of a GitHub repository' });
  const token = typeof s.token === 'string' ? s.token.trim() : '';
  if (token === '' || /\s/.test(token)) problems.push({ field: 'settings.token', message: 'is required: a GitHub token allowed to read and write issues of the repository' });
  const apiUrl = endpoint.url ?? (typeof s.api_url === 'string' && s.api_url !== '' ? s.api_url : GITHUB_API_URL);
  problems.push(...validateEndpointUrl(apiUrl, {}, endpoint.url ? 'url' : 'settings.api_url'));
  let labels: string[] = [];
  if (s.labels !== undefined) {
    if (!Array.isArray(s.labels) || s.labels.length > 10 || !s.labels.every((l) => typeof l === 'string' && l.trim() !== '' && l.length <= 50 && !l.includes(','))) {
      problems.push({ field: 'settings.labels', message: 'must be a list of at most 10 label names (1-50 characters, no commas)' });
    } else labels = s.labels as string[];
  }
  if (problems.length > 0 || !repo) return { settings: null, problems };
  return { settings: { owner: repo[1] ?? '', repo: repo[2] ?? '', token, apiUrl: apiUrl.replace(/\/+$/, ''), labels }, problems };
}

interface GithubIssue {
  number: number;
  body?: string | null;
  pull_request?: unknown;
}

function asIssues(v: unknown): GithubIssue[] {
  return Array.isArray(v) ? (v as GithubIssue[]).filter((i) => typeof i?.number === 'number' && !i.pull_request) : [];
}

export function createGithubDestination(http: HttpClient): Destination {
  return {
    kind: 'github',

    validate(endpoint) {
      return parseSettings(endpoint).problems;
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const { settings: gh, problems } = parseSettings(ctx.endpoint);
      if (!gh) return configFailure(`github endpoint cannot send: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
      const subject = ticketSubject(ctx.event);
      if (!subject) return configFailure(`github endpoints open issues for ${TICKET_EVENT_TYPES.join(', ')}; not for ${ctx.event.type}`);

      const steps = createStepRunner(http, { permanent: (status) => PERMANENT.has(status) });
      const repoPath = `${gh.apiUrl}/repos/${encodeURIComponent(gh.owner)}/${encodeURIComponent(gh.repo)}`;
      const headers = {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${gh.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': USER_AGENT,
      };
      const json = { ...headers, 'content-type': 'application/json' };
      const d = describeEvent(ctx.event);

      const matching = (issues: GithubIssue[], s: TicketSubject): OpenTicket | null => {
        for (const i of issues) {
          const m = parseMarker(i.body ?? '');
          if (m?.tag === s.tag) return { ref: String(i.number), openedBy: m.eventId };
        }
        return null;
      };

      const tracker: TicketTracker = {
        async findOpen(s) {
          const labels = gh.labels.length > 0 ? `&labels=${encodeURIComponent(gh.labels.join(','))}` : '';
          const recent = await steps.call({ method: 'GET', url: `${repoPath}/issues?state=open&sort=created&direction=desc&per_page=100${labels}`, headers });
          const inList = matching(asIssues(recent), s);
          if (inList) return inList;
          const q = `"linkhook:fingerprint=${s.tag}" repo:${gh.owner}/${gh.repo} is:issue is:open in:body`;
          const found = (await steps.call({ method: 'GET', url: `${gh.apiUrl}/search/issues?q=${encodeURIComponent(q)}&per_page=10`, headers })) as { items?: unknown } | undefined;
          return matching(asIssues(found?.items), s);
        },
        async create(s) {
          const body = { title: issueTitle(d), body: renderIssueBody(d, s, ctx.event.id, ctx.event.timestamp), ...(gh.labels.length > 0 ? { labels: gh.labels } : {}) };
          const created = (await steps.call({ method: 'POST', url: `${repoPath}/issues`, headers: json, body: JSON.stringify(body) })) as { number?: unknown } | undefined;
          if (typeof created?.number !== 'number') throw new StepFailed({ ...steps.result(), ok: false, errorClass: 'http_status', error: 'GitHub created an issue but answered without its number' });
          return String(created.number);
        },
        async comment(ref) {
          const body = renderComment(d, subject.action === 'resolve' ? 'resolve' : 'repeat', ctx.event.timestamp);
          await steps.call({ method: 'POST', url: `${repoPath}/issues/${ref}/comments`, headers: json, body: JSON.stringify({ body }) });
        },
        async close(ref) {
          await steps.call({ method: 'PATCH', url: `${repoPath}/issues/${ref}`, headers: json, body: JSON.stringify({ state: 'closed', state_reason: 'completed' }) });
        },
      };

      try {
        const outcome = await runTicketLifecycle(ctx, subject, tracker);
        return steps.result(outcome);
      } catch (err) {
        if (err instanceof StepFailed) return err.result;
        // A state read/write failed: retry; the marker search keeps the retry from opening a second issue.
        return { ...steps.result(), ok: false, errorClass: 'internal', error: (err as Error).message };
      }
    },
  };
}
