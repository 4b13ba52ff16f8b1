import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on loopback (smtp-server) whose mails are parsed with
// mailparser as they arrive: what a relay would receive, for the tests that
// send reports by email. `keepCidLinks` leaves `cid:` references in the
// HTML so tests can match them to the inline attachments.

export interface SmtpInbox {
  url: string;
  mails: ParsedMail[];
  /** Resolves with the next mail to arrive (call before triggering the send). */
  next(): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const mails: ParsedMail[] = [];
  const waiting: ((m: ParsedMail) => void)[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: STARTTLS would need a trusted certificate.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream, { keepCidLinks: true })
        .then((mail) => {
          mails.push(mail);
          waiting.shift()?.(mail);
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next: () => new Promise<ParsedMail>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
