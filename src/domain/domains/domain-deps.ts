import type { DnsResolver, Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';

/** What the custom-domain use cases need from the outside. */
export interface DomainDeps {
  storage: Storage;
  clock: Clock;
  dns: DnsResolver;
  /** Host of LINKHOOK_BASE_URL: it is already served, so it cannot be added as a custom domain. */
  defaultHost: string;
  /** When set, a CNAME of the custom domain to this host also verifies it. */
  cnameTarget: string | undefined;
}
