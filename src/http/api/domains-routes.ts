import type { FastifyInstance } from 'fastify';
import { addDomain } from '../../domain/domains/add-domain.ts';
import type { CustomDomain } from '../../domain/domains/custom-domain.ts';
import { deleteDomain } from '../../domain/domains/delete-domain.ts';
import type { DomainDeps } from '../../domain/domains/domain-deps.ts';
import { getDomain, listDomains } from '../../domain/domains/list-domains.ts';
import { updateDomain } from '../../domain/domains/update-domain.ts';
import { verifyDomain } from '../../domain/domains/verify-domain.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { domainJson } from './domain-view.ts';
import { idParam } from './query.ts';

/** Custom domains: add (pending), verify by DNS, fallback URL, delete. */
export async function domainsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const domainDeps: DomainDeps = {
    storage: deps.storage,
    clock: deps.clock,
    dns: deps.dns,
    defaultHost: deps.settings.defaultHost,
    cnameTarget: deps.settings.cnameTarget,
  };
  const read = { onRequest: requireScope(deps.storage, 'domains:read') };
  const write = { onRequest: requireScope(deps.storage, 'domains:write') };
  const view = (d: CustomDomain) => domainJson(d, deps.settings.cnameTarget);

  app.post('/domains', write, async (request, reply) => {
    const domain = await addDomain(domainDeps, workspaceOf(request), request.body);
    return reply.code(201).header('location', `/api/v1/domains/${domain.id}`).send(view(domain));
  });

  app.get('/domains', read, async (request) => ({ data: (await listDomains(domainDeps, workspaceOf(request))).map(view) }));

  app.get('/domains/:id', read, async (request) => view(await getDomain(deps.storage, workspaceOf(request), idParam(request.params))));

  // 200 whatever DNS said: the check ran; `status` and `last_check_message` carry the outcome.
  app.post('/domains/:id/verify', write, async (request) => view(await verifyDomain(domainDeps, workspaceOf(request), idParam(request.params))));

  app.patch('/domains/:id', write, async (request) => view(await updateDomain(domainDeps, workspaceOf(request), idParam(request.params), request.body)));

  app.delete('/domains/:id', write, async (request, reply) => {
    await deleteDomain(domainDeps, workspaceOf(request), idParam(request.params));
    return reply.code(204).send();
  });
}
