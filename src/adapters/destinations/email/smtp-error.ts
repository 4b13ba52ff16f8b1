import type { ErrorClass } from '../../../domain/delivery/destination.ts';

// How an SMTP failure maps onto the delivery engine's retry policy. SMTP
// itself says which failures are worth retrying: 4xx replies are transient
// (greylisting, mailbox busy, rate limits), 5xx are permanent (no such
// user, relay denied, message refused) and retrying them only repeats the
// bounce.

export interface SmtpFailure {
  errorClass: ErrorClass;
  permanent: boolean;
  /** The SMTP reply code, when the server gave one. */
  status: number | null;
  message: string;
  /** The server's reply line, for the attempt log. */
  reply: string | null;
}

interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

export function classifySmtpError(err: unknown): SmtpFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  const reply = typeof e.response === 'string' ? e.response : null;
  const message = typeof e.message === 'string' ? e.message : String(err);

  // A failed login is the operator's SMTP credentials, not the recipient: it
  // is retried (as 'config') so the mail still goes out once they fix it,
  // even though the server answers it with a 5xx (535).
  if (code === 'EAUTH') return { errorClass: 'config', permanent: false, status, message, reply };
  if (status !== null && status >= 400 && status < 500) return { errorClass: 'smtp', permanent: false, status, message, reply };
  if (status !== null && status >= 500) return { errorClass: 'smtp', permanent: true, status, message, reply };
  switch (code) {
    case 'EDNS':
      return { errorClass: 'dns', permanent: false, status, message, reply };
    case 'ETIMEDOUT':
      return { errorClass: 'timeout', permanent: false, status, message, reply };
    case 'ETLS':
      return { errorClass: 'tls', permanent: false, status, message, reply };
    case 'ECONNECTION':
    case 'ESOCKET':
      return { errorClass: /certificate|tls|ssl/i.test(message) ? 'tls' : 'connect', permanent: false, status, message, reply };
    default:
      return { errorClass: 'internal', permanent: false, status, message, reply };
  }
}

/** "250 2.0.0 Ok: queued as 1234" -> 250. */
export function replyCode(reply: string | undefined): number {
  const m = /^(\d{3})/.exec(reply ?? '');
  return m ? Number(m[1]) : 250;
}
