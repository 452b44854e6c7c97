/**
 * The one logger (pino): JSON lines in production (what log drains and `vercel logs` read), a
 * readable line per entry in development. Every line carries the current request's id, route and
 * user id (request-context.ts), and passes the redaction layer (redact.ts) first.
 *
 * Log ids, counts, codes and durations; never message text, fact text, credentials or addresses.
 */
import "server-only";
import pino, { type Logger } from "pino";
import { logSettings } from "@/lib/env";
import { scrub, scrubText } from "./redact";
import { currentRequestContext } from "./request-context";

type Sink = (line: string) => void;

const settings = logSettings();

const LEVEL_NAMES: Record<string, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO ",
  warn: "WARN ",
  error: "ERROR",
  fatal: "FATAL",
};
const SKIP = new Set(["time", "level", "msg", "err"]);

/** Development: `12:04:05.123 WARN  message key=value …`, an error's stack below it. */
function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const fields = Object.entries(entry)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  const stack = err ? `\n    ${err.stack ?? `${err.type}: ${err.message}`}` : "";
  return `${time} ${LEVEL_NAMES[String(entry.level)] ?? entry.level} ${entry.msg ?? ""} ${fields}${stack}\n`;
}

const stdout: Sink =
  settings.format === "pretty"
    ? (line) => process.stdout.write(prettyLine(line))
    : (line) => process.stdout.write(line);
let capture: Sink | undefined;

export const logger: Logger = pino(
  {
    level: settings.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (entry) => scrub(entry) as Record<string, unknown>,
    },
    mixin() {
      const c = currentRequestContext();
      if (!c) return {};
      return c.userId
        ? { request_id: c.requestId, route: c.route, user_id: c.userId }
        : { request_id: c.requestId, route: c.route };
    },
    hooks: {
      // The message string (and printf-style arguments) pass the redaction layer too.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg)) as typeof args;
        return method.apply(this, scrubbed);
      },
    },
  },
  { write: (line: string) => (capture ?? stdout)(line) },
);

/** For tests: every line written until `stop()`, parsed, at `level` and above. */
export function captureLogs(level: pino.LevelWithSilent = "debug"): {
  lines: Record<string, unknown>[];
  raw: string[];
  stop(): void;
} {
  const raw: string[] = [];
  const previous = logger.level;
  logger.level = level;
  capture = (line) => raw.push(line);
  return {
    raw,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    stop() {
      capture = undefined;
      logger.level = previous;
    },
  };
}
