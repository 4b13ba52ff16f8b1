import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import { importClicks } from '../../domain/clicks/import-clicks.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';

/**
 * The NDJSON body, still unread: the handler streams it line by line, so a
 * file of any size is imported in constant memory (the 1 MB JSON body limit
 * does not apply). toJSON gives the Idempotency-Key fingerprint something
 * stable: a retry under the same key replays the first answer rather than
 * importing the file twice.
 */
class NdjsonBody {
  constructor(readonly stream: IncomingMessage) {}
  lines(): AsyncIterable<string> {
    return createInterface({ input: this.stream, crlfDelay: Infinity });
  }
  toJSON(): string {
    return 'application/x-ndjson';
  }
}

/**
 * POST /clicks/import (application/x-ndjson): click history from another
 * platform. Needs links:write: it adds to links' click logs (what their
 * analytics and alert baselines read), which is a write on links, and every
 * key that may create the links already has it.
 */
export async function clickImportRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const write = { onRequest: requireScope(deps.storage, 'links:write') };
  // Own plugin: the NDJSON parser applies to this route only.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser('application/x-ndjson', (_request, payload, done) => {
      done(null, new NdjsonBody(payload));
    });
    scoped.post('/clicks/import', write, async (request) => {
      if (!(request.body instanceof NdjsonBody)) {
        throw new AppError('unsupported_media_type', 'Send the clicks as application/x-ndjson: one JSON object per line');
      }
      return importClicks({ storage: deps.storage, ua: deps.ua, clock: deps.clock }, workspaceOf(request), request.body.lines());
    });
  });
}
