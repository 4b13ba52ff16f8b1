import { checkDestinationUrl } from '../links/destination-url.ts';
import type { FieldProblem } from '../shared/errors.ts';
import { AppError, validationError } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';

/**
 * The checks of an endpoint about to be written (create and update):
 * 1. its kind has a destination adapter, whose validate() accepts url and settings (422 validation_failed);
 * 2. a url is absolute http(s) (422 validation_failed);
 * 3. the url does not resolve to a private, loopback, link-local or metadata
 *    address the operator has not allowed (422 destination_blocked). Checked
 *    here so a mistake shows at once; the outbound client checks again at
 *    every send, because DNS answers change.
 * Returns the endpoint with its url normalised.
 */
export async function checkEndpoint(deps: Pick<DeliveryDeps, 'destinations' | 'checkOutboundUrl'>, endpoint: Endpoint): Promise<Endpoint> {
  const problems: FieldProblem[] = [];
  let url = endpoint.url;
  if (url !== null) {
    const checked = checkDestinationUrl('url', url);
    if (checked.ok) url = checked.url;
    else problems.push(checked.problem);
  }
  const destination = deps.destinations.get(endpoint.kind);
  if (!destination) problems.push({ field: 'kind', message: `no destination adapter for kind ${endpoint.kind} is installed` });
  else problems.push(...destination.validate({ url, settings: endpoint.settings }));
  if (problems.length > 0) throw validationError(problems);

  if (url !== null) {
    const blocked = await deps.checkOutboundUrl(url);
    if (blocked) {
      throw new AppError('destination_blocked', `${blocked.field}: ${blocked.message}`, { fields: [blocked], url });
    }
  }
  return { ...endpoint, url };
}
