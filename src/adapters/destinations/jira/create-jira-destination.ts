import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { describeEvent } from '../describe-event.ts';
import { configFailure, USER_AGENT } from '../send-http-request.ts';
import { createStepRunner, runTicketLifecycle, StepFailed, TICKET_EVENT_TYPES, ticketSubject, type TicketTracker } from '../ticket-lifecycle.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { issueSummary, openedBy, renderComment, renderDescription } from './render-jira-issue.ts';

// `jira`: an issue per alert in settings.project_key, through REST API v2
// (wiki-markup text works on Jira Cloud and Data Center). Lifecycle in
// ticket-lifecycle.ts; the alert's tag is a label ("linkhook-fp-<hex>"),
// found with JQL before creating.
//
// Search: Jira Cloud removed /rest/api/2/search in 2025 (CHANGE-2046, now
// 410) for /rest/api/2/search/jql; Data Center only has the former.
// settings.deployment picks ("cloud" | "server"); by default *.atlassian.net
// is cloud and anything else server.
//
// Auth: settings.email + settings.api_token (Cloud, basic auth) or
// settings.bearer_token (a Data Center personal access token).
// Resolve: the transition named settings.resolve_transition (default
// "Done", matched on the transition's or its target status's name,
// case-insensitively); without a match, any transition into the "done"
// status category. 400 (bad field, unknown issue type) and 404 (no such
// project/issue, or no permission to see it) are permanent.

const PERMANENT = new Set([400, 404]);

interface JiraSettings {
  baseUrl: string;
  projectKey: string;
  issueType: string;
  authorization: string;
  resolveTransition: string;
  cloud: boolean;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function parseSettings(endpoint: { url: string | null; settings: Record<string, unknown> }): { settings: JiraSettings | null; problems: FieldProblem[] } {
  const s = endpoint.settings;
  const problems: FieldProblem[] = [];
  const baseUrl = endpoint.url ?? str(s.base_url);
  problems.push(...validateEndpointUrl(baseUrl, {}, endpoint.url ? 'url' : 'settings.base_url'));
  const projectKey = str(s.project_key);
  if (!projectKey || !/^[A-Z][A-Z0-9_]{0,49}$/.test(projectKey)) problems.push({ field: 'settings.project_key', message: 'must be a Jira project key, e.g. "OPS"' });
  const issueType = str(s.issue_type) ?? 'Task';
  if (issueType.length > 60) problems.push({ field: 'settings.issue_type', message: 'must be an issue type name, e.g. "Task" or "Bug"' });
  const email = str(s.email);
  const apiToken = str(s.api_token);
  const bearer = str(s.bearer_token);
  let authorization = '';
  if (bearer && !email && !apiToken) authorization = `Bearer ${bearer}`;
  else if (email && apiToken && !bearer) authorization = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  else problems.push({ field: 'settings.api_token', message: 'give either email and api_token (Jira Cloud) or bearer_token (a Data Center personal access token)' });
  const deployment = s.deployment;
  if (deployment !== undefined && deployment !== 'cloud' && deployment !== 'server') problems.push({ field: 'settings.deployment', message: 'must be "cloud" or "server"' });
  if (problems.length > 0 || !baseUrl || !projectKey) return { settings: null, problems };
  const cloud = deployment === undefined ? new URL(baseUrl).hostname.endsWith('.atlassian.net') : deployment === 'cloud';
  const resolveTransition = str(s.resolve_transition) ?? 'Done';
  return { settings: { baseUrl: baseUrl.replace(/\/+$/, ''), projectKey, issueType, authorization, resolveTransition, cloud }, problems };
}

interface JiraTransition {
  id: string;
  name?: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

export function createJiraDestination(http: HttpClient): Destination {
  return {
    kind: 'jira',

    validate(endpoint) {
      return parseSettings(endpoint).problems;
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const { settings: jira, problems } = parseSettings(ctx.endpoint);
      if (!jira) return configFailure(`jira endpoint cannot send: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
      const subject = ticketSubject(ctx.event);
      if (!subject) return configFailure(`jira endpoints open issues for ${TICKET_EVENT_TYPES.join(', ')}; not for ${ctx.event.type}`);

      const steps = createStepRunner(http, { permanent: (status) => PERMANENT.has(status) });
      const api = `${jira.baseUrl}/rest/api/2`;
      const headers = { accept: 'application/json', authorization: jira.authorization, 'user-agent': USER_AGENT };
      const json = { ...headers, 'content-type': 'application/json' };
      const d = describeEvent(ctx.event);
      const issue = (key: string): string => `${api}/issue/${encodeURIComponent(key)}`;

      const tracker: TicketTracker = {
        async findOpen(s) {
          const jql = `project = "${jira.projectKey}" AND labels = "${s.tag}" AND statusCategory != Done ORDER BY created DESC`;
          const path = jira.cloud ? 'search/jql' : 'search';
          const found = (await steps.call({ method: 'GET', url: `${api}/${path}?jql=${encodeURIComponent(jql)}&fields=description&maxResults=5`, headers })) as
            | { issues?: { key?: unknown; fields?: { description?: unknown } }[] }
            | undefined;
          const first = found?.issues?.find((i) => typeof i.key === 'string');
          if (!first) return null;
          const description = typeof first.fields?.description === 'string' ? first.fields.description : '';
          return { ref: first.key as string, openedBy: openedBy(description) };
        },
        async create(s) {
          const fields = {
            project: { key: jira.projectKey },
            issuetype: { name: jira.issueType },
            summary: issueSummary(d),
            description: renderDescription(d, s, ctx.event.id, ctx.event.timestamp),
            labels: ['linkhook', s.tag],
          };
          const created = (await steps.call({ method: 'POST', url: `${api}/issue`, headers: json, body: JSON.stringify({ fields }) })) as { key?: unknown } | undefined;
          if (typeof created?.key !== 'string') throw new StepFailed({ ...steps.result(), ok: false, errorClass: 'http_status', error: 'Jira created an issue but answered without its key' });
          return created.key;
        },
        async comment(ref) {
          const body = renderComment(d, subject.action === 'resolve' ? 'resolve' : 'repeat', ctx.event.timestamp);
          await steps.call({ method: 'POST', url: `${issue(ref)}/comment`, headers: json, body: JSON.stringify({ body }) });
        },
        async close(ref) {
          // Someone may have resolved it by hand already: nothing left to transition.
          const current = (await steps.call({ method: 'GET', url: `${issue(ref)}?fields=status`, headers })) as { fields?: { status?: { statusCategory?: { key?: unknown } } } } | undefined;
          if (current?.fields?.status?.statusCategory?.key === 'done') return;
          const listed = (await steps.call({ method: 'GET', url: `${issue(ref)}/transitions`, headers })) as { transitions?: JiraTransition[] } | undefined;
          const all = listed?.transitions ?? [];
          const want = jira.resolveTransition.toLowerCase();
          const pick =
            all.find((t) => t.name?.toLowerCase() === want || t.to?.name?.toLowerCase() === want) ?? all.find((t) => t.to?.statusCategory?.key === 'done');
          if (!pick) {
            const names = all.map((t) => t.name ?? t.id).join(', ') || 'none';
            // The workflow has no way to "Done" from here: only an edit of the endpoint (or the workflow) helps.
            throw new StepFailed({ ...steps.result(), ok: false, errorClass: 'config', permanent: true, error: `no transition "${jira.resolveTransition}" on ${ref} (available: ${names}); set settings.resolve_transition` });
          }
          await steps.call({ method: 'POST', url: `${issue(ref)}/transitions`, headers: json, body: JSON.stringify({ transition: { id: pick.id } }) });
        },
      };

      try {
        return steps.result(await runTicketLifecycle(ctx, subject, tracker));
      } catch (err) {
        if (err instanceof StepFailed) return err.result;
        // A state read/write failed: retry; the label search keeps the retry from opening a second issue.
        return { ...steps.result(), ok: false, errorClass: 'internal', error: (err as Error).message };
      }
    },
  };
}
