import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../ports.ts';

/** What the link use cases need from the outside. */
export interface LinkDeps {
  storage: Storage;
  clock: Clock;
  /** Host of LINKHOOK_BASE_URL: naming it as `domain` means the default domain. */
  defaultHost: string;
}
