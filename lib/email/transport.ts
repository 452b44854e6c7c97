/**
 * Where emails go: SMTP (nodemailer) when SMTP_URL is set, otherwise the terminal, so development
 * works without a mail server and the reset link can be copied from it. In production the
 * fallback prints nothing of the email (address, links and tokens stay out of the logs): it logs
 * that an email was not delivered, and /health reports SMTP_URL as missing.
 */
import "server-only";
import nodemailer from "nodemailer";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/observability/logger";

export type OutgoingEmail = { to: string; subject: string; text: string };
export type EmailTransport = { name: string; send(message: OutgoingEmail): Promise<void>; close(): void };

export function senderAddress(): string {
  const { senderName, senderAddress } = getEnv().email;
  return `"${senderName.replace(/["\\\r\n]/g, "")}" <${senderAddress}>`;
}

export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  const from = senderAddress();
  return {
    name: "smtp",
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transporter.close(),
  };
}

const printToTerminal = (text: string) => void process.stdout.write(text);

export function logTransport(print: (text: string) => void = printToTerminal): EmailTransport {
  const from = senderAddress();
  const production = getEnv().isProduction;
  return {
    name: "log",
    async send(message) {
      if (production) logger.warn({ component: "email" }, "email not delivered: SMTP_URL is not set");
      else print(`[email] from ${from} to ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`);
    },
    close: () => undefined,
  };
}

export function configuredTransport(): EmailTransport {
  const url = getEnv().email.smtpUrl;
  return url ? smtpTransport(url) : logTransport();
}
