import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { OutboundError } from '../../domain/delivery/destination.ts';
import type { TlsCertificate, TlsProbe } from '../../domain/ports.ts';
import type { OutboundGuard } from '../outbound/create-outbound-guard.ts';

// Reads the certificate a custom domain serves, for the domain-health
// monitor ("expires in 9 days"). The connection goes to the address the SSRF
// guard resolved and checked (like every outbound request), with SNI set to
// the hostname so the server picks that domain's certificate.
//
// rejectUnauthorized is off ON PURPOSE: the point is to read the dates of a
// certificate that may already be failing (expired, wrong name, self-signed)
// and report that in words; whether it verifies is returned alongside. No
// application data is ever sent on this connection.

export interface TlsProbeOptions {
  guard: OutboundGuard;
  /** Handshake deadline. */
  timeoutMs: number;
  /** 443 in production; tests point it at a local TLS server. */
  port?: number;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join(', ');
  return null;
}

function name(dn: PeerCertificate['subject'] | undefined): string | null {
  if (!dn) return null;
  return text(dn.CN) ?? text(dn.O);
}

export function createTlsProbe(options: TlsProbeOptions): TlsProbe {
  const port = options.port ?? 443;
  return {
    async certificate(hostname) {
      const address = await options.guard.resolveAllowed(hostname);
      return new Promise<TlsCertificate>((resolve, reject) => {
        const socket: TLSSocket = connect({ host: address, port, servername: isIP(hostname) === 0 ? hostname : undefined, rejectUnauthorized: false }, () => {
          clearTimeout(timer);
          const cert = socket.getPeerCertificate();
          const authorized = socket.authorized;
          const authError = socket.authorizationError;
          socket.end();
          if (!cert.valid_to) {
            reject(new OutboundError('tls', `${hostname} presented no certificate`));
            return;
          }
          resolve({
            validTo: new Date(cert.valid_to).toISOString(),
            validFrom: new Date(cert.valid_from).toISOString(),
            subject: name(cert.subject),
            issuer: name(cert.issuer),
            authorized,
            authorizationError: authError ? String(authError) : null,
          });
        });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new OutboundError('timeout', `no TLS handshake with ${hostname} within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
        socket.on('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          const cls = err.code && /CERT|SSL|TLS|EPROTO/.test(err.code) ? 'tls' : 'connect';
          reject(new OutboundError(cls, `TLS connection to ${hostname} failed: ${err.code ?? ''} ${err.message}`.trim()));
        });
      });
    },
  };
}
