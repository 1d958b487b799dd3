import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMail {
  to: string[];
  parsed: ParsedMail;
  at: number;
}

export interface SmtpSink {
  url: string;
  received: SinkMail[];
  /** Every RCPT TO the server was asked for, accepted or not, with its time. */
  recipients: { address: string; at: number; accepted: boolean }[];
  /** Refuse mail to an address with an SMTP reply (e.g. 451 try later, 550 no such mailbox); null accepts again. */
  refuse(address: string, reply: { code: number; message: string } | null): void;
  /** Hold every message this long before accepting it (a slow server). */
  delayMs: number;
  mailTo(address: string): SinkMail[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a free port of 127.0.0.1 that keeps what it accepts. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const refusals = new Map<string, { code: number; message: string }>();
  const sink: Omit<SmtpSink, 'url' | 'close'> = {
    received: [],
    recipients: [],
    delayMs: 0,
    refuse(address, reply) {
      if (reply) refusals.set(address.toLowerCase(), reply);
      else refusals.delete(address.toLowerCase());
    },
    mailTo: (address) => sink.received.filter((mail) => mail.to.includes(address.toLowerCase())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      sink.recipients.push({ address: address.address.toLowerCase(), at: Date.now(), accepted: !refusal });
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(async (parsed) => {
        if (sink.delayMs > 0) await new Promise((r) => setTimeout(r, sink.delayMs));
        sink.received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), parsed, at: Date.now() });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
