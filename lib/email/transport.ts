/**
 * Where emails go: SMTP (nodemailer) when SMTP_URL is set, otherwise the log, so development
 * works without a mail server and the reset link can be copied from the terminal.
 */
import nodemailer from "nodemailer";
import { getEnv } from "@/lib/env";

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

export function logTransport(log: (line: string) => void = console.log): EmailTransport {
  const from = senderAddress();
  return {
    name: "log",
    async send(message) {
      log(`[email] from ${from} to ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`);
    },
    close: () => undefined,
  };
}

export function configuredTransport(): EmailTransport {
  const url = getEnv().email.smtpUrl;
  return url ? smtpTransport(url) : logTransport();
}
