import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import type { OutboundHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';

// The real guarded client, allowed to reach the tests' loopback receivers the
// way an operator would allow them: LINKHOOK_OUTBOUND_ALLOW=127.0.0.0/8.

export const LOOPBACK_ALLOW = ['127.0.0.0/8'];

export function loopbackHttp(allow: string[] = LOOPBACK_ALLOW, maxBodyBytes = 1024 * 1024): OutboundHttpClient {
  return createHttpClient({ guard: createOutboundGuard(allow), connectTimeoutMs: 5000, totalTimeoutMs: 5000, maxBodyBytes });
}
