/** The mailer port and its SES v2 implementation. */
import { SendEmailCommand, type SESv2Client } from '@jixiao/aws-sdk';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export function sesMailer(client: SESv2Client, from: string): Mailer {
  return {
    async send(email) {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: email.to },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    },
  };
}

/** Errors worth retrying later: throttling, service trouble, the network. */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  if (status === undefined) return true; // no answer at all: connection refused, timeout
  return /Throttl|TooManyRequests|ServiceUnavailable|InternalFailure|LimitExceeded|Timeout/i.test(e.name ?? '');
}
