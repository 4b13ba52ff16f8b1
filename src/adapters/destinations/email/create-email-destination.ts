import nodemailer from 'nodemailer';
import type { Destination, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { describeEvent } from '../describe-event.ts';
import { parseEmailSettings } from './email-settings.ts';
import { renderEmail } from './render-email.ts';
import { renderReportEmail } from './render-report-email.ts';
import { classifySmtpError, replyCode } from './smtp-error.ts';

// `email` destination: one message per event over the operator's SMTP relay,
// with an HTML part and a plain-text part. The relay is operator config, not
// endpoint settings, so it is not behind the SSRF guard: the operator chose it.

export interface EmailDestinationOptions {
  /** LINKHOOK_SMTP_URL, e.g. smtp://user:pass@smtp.example.com:587; undefined: email is off. */
  smtpUrl: string | undefined;
  /** LINKHOOK_SMTP_FROM, e.g. "linkhook <alerts@example.com>". */
  from: string;
  /** Product name in the footer and Message-ID host; defaults to linkhook. */
  footer?: string;
}

export interface EmailDestination extends Destination {
  /** Closes pooled SMTP connections (shutdown). */
  close(): void;
}

/** The log must show where mail went, never the relay password. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return `${u.protocol}//${u.username ? `${u.username}${u.password ? ':***' : ''}@` : ''}${u.host}`;
  } catch {
    return 'smtp://(invalid url)';
  }
}

/** The host part of the From address, for a Message-ID that belongs to the sender's domain. */
function fromDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'linkhook.invalid';
}

export function createEmailDestination(opts: EmailDestinationOptions): EmailDestination {
  const transport = opts.smtpUrl
    ? nodemailer.createTransport({
        url: opts.smtpUrl,
        // A few warm connections: an alert storm to one relay should not pay a
        // TCP+TLS+AUTH handshake per message (3 is what most relays allow per client).
        pool: true,
        maxConnections: 3,
        // nodemailer waits up to 2 min to connect and 10 min on a silent socket;
        // a delivery attempt has to end well inside a worker's lease.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as nodemailer.TransportOptions)
    : null;
  const footer = opts.footer ?? 'Sent by linkhook for an endpoint of your workspace.';

  function validate(endpoint: { settings: Record<string, unknown> }): FieldProblem[] {
    const problems = parseEmailSettings(endpoint.settings).problems;
    if (!transport) problems.unshift({ field: 'kind', message: 'email delivery is not configured on this server (LINKHOOK_SMTP_URL is unset)' });
    return problems;
  }

  async function send(ctx: SendContext): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const { settings, problems } = parseEmailSettings(ctx.endpoint.settings);
    if (!transport || problems.length > 0) {
      const why = !transport ? 'LINKHOOK_SMTP_URL is unset' : problems.map((p) => `${p.field} ${p.message}`).join('; ');
      // Retrying cannot help until someone edits the endpoint or the server config.
      return { ok: false, request: null, response: null, durationMs: elapsed(), errorClass: 'config', error: `email endpoint cannot send: ${why}`, permanent: transport !== null };
    }

    // report.summary gets its own layout and an inline chart; everything else the generic one.
    const report = renderReportEmail(ctx.event, { subjectPrefix: settings.subjectPrefix, footer });
    const mail = report ?? renderEmail(describeEvent(ctx.event), { subjectPrefix: settings.subjectPrefix, footer });
    const request = {
      method: 'SMTP',
      url: redactUrl(opts.smtpUrl ?? ''),
      headers: { from: opts.from, to: settings.to.join(', '), ...(settings.cc.length > 0 ? { cc: settings.cc.join(', ') } : {}), subject: mail.subject },
      body: mail.text,
    };
    try {
      const info = await transport.sendMail({
        from: opts.from,
        to: settings.to,
        cc: settings.cc.length > 0 ? settings.cc : undefined,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(report ? { attachments: report.attachments } : {}),
        // The same Message-ID on every retry of this event to this endpoint:
        // mail stores that deduplicate by Message-ID drop a re-sent copy.
        messageId: `<${ctx.webhookId}.${ctx.endpoint.id}@${fromDomain(opts.from)}>`,
        headers: { 'X-Linkhook-Event-Id': ctx.event.id, 'X-Linkhook-Event-Type': ctx.event.type },
      });
      const rejected = (info.rejected as unknown[]).map(String);
      return {
        ok: true,
        request,
        response: {
          status: replyCode(info.response),
          headers: { 'message-id': info.messageId, ...(rejected.length > 0 ? { rejected: rejected.join(', ') } : {}) },
          body: info.response,
        },
        durationMs: elapsed(),
        errorClass: null,
        error: null,
      };
    } catch (err) {
      const f = classifySmtpError(err);
      return {
        ok: false,
        request,
        response: f.status !== null ? { status: f.status, headers: {}, body: f.reply ?? f.message } : null,
        durationMs: elapsed(),
        errorClass: f.errorClass,
        error: f.message,
        permanent: f.permanent,
      };
    }
  }

  return {
    kind: 'email',
    validate,
    send,
    close() {
      transport?.close();
    },
  };
}
