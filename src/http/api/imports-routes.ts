import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { runImport } from '../../domain/imports/run-import.ts';
import { shortUrl } from '../../domain/links/short-url.ts';
import { validationError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { actorOf, requireScope, workspaceOf } from './auth.ts';
import { linkDepsOf } from './links-routes.ts';

// POST /api/v1/imports: a CSV file (text/csv) of links, with the same
// columns as `linkhook links import` (ours, Bitly and Dub exports). Answers
// the per-row results and the QA report; import.completed carries the QA too.
// Redirect-chain checks make outbound requests, so they run only with
// ?check_redirects=true.

/** 20 MiB: 50,000 rows of ~300 bytes with room to spare; the API's default 1 MiB is for JSON objects. */
const CSV_BODY_LIMIT = 20 * 1024 * 1024;

function parseCsv(text: string): { headers: string[]; records: Record<string, string>[] } {
  let headers: string[] = [];
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (h: string[]) => {
        headers = h;
        return h;
      },
    }) as Record<string, string>[];
    return { headers, records };
  } catch (err) {
    throw validationError([{ field: 'csv', message: `is not valid CSV: ${err instanceof Error ? err.message : String(err)}` }]);
  }
}

export async function importsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const linkDeps = linkDepsOf(deps);
  // Its own plugin: the text/csv parser must not make every other route accept CSV.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scoped.post('/imports', { onRequest: requireScope(deps.storage, 'links:write'), bodyLimit: CSV_BODY_LIMIT }, async (request, reply) => {
      if (typeof request.body !== 'string') throw validationError([{ field: 'csv', message: 'send the CSV file as the body with Content-Type: text/csv' }]);
      const { headers, records } = parseCsv(request.body);
      const query = (request.query ?? {}) as Record<string, unknown>;
      const checkRedirects = query.check_redirects === 'true' || query.check_redirects === '1';
      const file = typeof query.file === 'string' && query.file !== '' ? query.file.slice(0, 200) : null;
      const outcome = await runImport(linkDeps, workspaceOf(request), {
        headers,
        records,
        source: 'api',
        file,
        actor: actorOf(request),
        ...(checkRedirects && deps.outboundHttp ? { http: deps.outboundHttp } : {}),
      });
      return reply.code(201).send({
        event_id: outcome.eventId,
        rows: outcome.results.length,
        created: outcome.created,
        failed: outcome.failed,
        qa: outcome.qa,
        results: outcome.results.map((r) =>
          r.ok
            ? { row: r.row, status: 'created', id: r.link.id, short_url: shortUrl(r.link, deps.settings.baseUrl, deps.settings.customDomainScheme) }
            : { row: r.row, status: 'failed', error: r.error },
        ),
      });
    });
  });
}
