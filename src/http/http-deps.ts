import type { Registry } from 'prom-client';
import type { Destination, HttpClient } from '../domain/delivery/destination.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { EndpointKind } from '../domain/delivery/endpoint.ts';
import type { DnsResolver, GeoLookup, QrRenderer, Storage, UserAgentParser } from '../domain/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { FieldProblem } from '../domain/shared/errors.ts';
import type { Metrics } from './metrics.ts';

/** Settings the HTTP layer reads; a subset of Config so tests can build one by hand. */
export interface HttpSettings {
  baseUrl: string;
  defaultHost: string;
  customDomainScheme: 'http' | 'https';
  trustProxy: boolean;
  /** CIDR ranges whose visits are test traffic. */
  testIpRanges: string[];
  storeIp: boolean;
  /** Secret the daily visitor-hash salt is derived from. */
  secret: string;
  cnameTarget: string | undefined;
  clickBatchMax: number;
  linkCacheTtlMs: number;
  linkCacheSize: number;
  logLevel: string;
}

/** Everything the HTTP server needs, wired by an entrypoint. */
export interface HttpDeps {
  settings: HttpSettings;
  storage: Storage;
  clock: Clock;
  geo: GeoLookup;
  ua: UserAgentParser;
  qr: QrRenderer;
  dns: DnsResolver;
  metrics: Metrics;
  registry: Registry;
  /** One adapter per endpoint kind: validates endpoint settings, sends test events. */
  destinations: ReadonlyMap<EndpointKind, Destination>;
  /** The SSRF guard's verdict on an endpoint URL: null when allowed (see DeliveryDeps). */
  checkOutboundUrl(url: string): Promise<FieldProblem | null>;
  /** The SSRF-guarded client, for opt-in outbound checks (import QA's redirect chains). */
  outboundHttp?: HttpClient;
  /** Wakes the in-process delivery dispatcher after events commit; absent when none runs here. */
  deliverySignal?: DeliverySignal;
}
