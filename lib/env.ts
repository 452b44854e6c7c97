/**
 * The one validated configuration object. Nothing else in the app reads `process.env`.
 *
 * `getEnv()` parses once per process (tests get a fresh module per file). Optional
 * integrations are `undefined` when unconfigured; the endpoints that need them say so.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_ATTACHMENT_MAX_BYTES } from "./http/body-limits";
import {
  DEFAULT_HISTORY_MAX_CHARS,
  DEFAULT_MESSAGE_MAX_CHARS,
  DEFAULT_MODEL_TURNS,
  DEFAULT_TITLE_MAX_CHARS,
  DEFAULT_UPLOADS,
} from "./http/model-limits";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(z.url().optional());

const intWithDefault = (fallback: number, min = 0) =>
  optionalString
    .pipe(z.string().regex(/^\d+$/, "must be a whole number").optional())
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number().int().min(min));

const optionalInt = (min = 0) =>
  optionalString
    .pipe(z.string().regex(/^\d+$/, "must be a whole number").optional())
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number().int().min(min).optional());

const boolFlag = optionalString.transform((v) => v === "1" || v === "true");

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).catch("development"),
  PORT: intWithDefault(3000, 1),
  DATA_DIR: optionalString.transform((v) => v ?? ".data"),

  DATABASE_URL: optionalString,
  // Direct (not pooled) connections for migrations: an explicit one, else Neon's integration variable.
  MIGRATIONS_DATABASE_URL: optionalString,
  DATABASE_URL_UNPOOLED: optionalString,
  DATABASE_DRIVER: optionalString.pipe(z.enum(["pglite", "pg", "neon"]).optional()),
  DATABASE_POOL_MAX: intWithDefault(10, 1),
  /** Unset: 30 s, or 5 s on Vercel (instances are suspended between requests). */
  DATABASE_POOL_IDLE_MS: optionalInt(100),
  // Local WebSocket relay for the Neon driver (tests, self-hosted Neon proxies): "host:port/path".
  NEON_WS_PROXY: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: optionalString.transform((v) => v ?? "gpt-4.1-mini"),
  OPENAI_TIMEOUT_MS: intWithDefault(60_000, 1),
  // A model stream that sends nothing for this long is abandoned (the turn ends with a retryable error).
  OPENAI_STREAM_IDLE_MS: intWithDefault(30_000, 1),
  WORKFLOW_ID: optionalString,
  OPENAI_WORKFLOW_ID: optionalString,
  WORKFLOW_VERSION: optionalString,
  OPENAI_WORKFLOW_VERSION: optionalString,
  CHATKIT_MODE: optionalString.pipe(z.enum(["self-hosted", "hosted"]).optional()),
  CHATKIT_SESSION_TTL_SECONDS: intWithDefault(600, 60),
  CHATKIT_SESSION_MAX_REQUESTS_PER_MINUTE: intWithDefault(10, 1),
  NEXT_PUBLIC_CHATKIT_DOMAIN_KEY: optionalString,
  ATTACHMENT_MAX_BYTES: intWithDefault(DEFAULT_ATTACHMENT_MAX_BYTES, 1),
  // A whole model turn ends (retryable error, partial reply kept) after this long; keep it under
  // the /chatkit route's maxDuration (300 s) so the platform never cuts the stream first.
  CHATKIT_TURN_DEADLINE_SECONDS: intWithDefault(280, 1),
  // Model input bounds: one message's text, the history sent per turn, a thread title (characters).
  CHAT_MESSAGE_MAX_CHARS: intWithDefault(DEFAULT_MESSAGE_MAX_CHARS, 1),
  CHAT_HISTORY_MAX_CHARS: intWithDefault(DEFAULT_HISTORY_MAX_CHARS, 1),
  CHAT_TITLE_MAX_CHARS: intWithDefault(DEFAULT_TITLE_MAX_CHARS, 1),
  // Per-user model turns: a short-window rate and a daily quota (Postgres counters).
  MODEL_TURNS_PER_MINUTE: intWithDefault(DEFAULT_MODEL_TURNS.perMinute, 1),
  MODEL_TURNS_PER_DAY: intWithDefault(DEFAULT_MODEL_TURNS.perDay, 1),
  // Per-user attachment uploads, the same two limits.
  UPLOADS_PER_MINUTE: intWithDefault(DEFAULT_UPLOADS.perMinute, 1),
  UPLOADS_PER_DAY: intWithDefault(DEFAULT_UPLOADS.perDay, 1),
  // Which chat the page shows: ChatKit's component when its script loads, else ours ("auto").
  CHAT_UI: optionalString.pipe(z.enum(["auto", "chatkit", "builtin"]).optional()),

  JWT_SECRET: optionalString,
  JWT_ALGORITHM: optionalString.pipe(z.literal("HS256").optional()).transform(() => "HS256" as const),
  JWT_EXPIRES_IN: intWithDefault(3600, 1),
  SESSION_SECRET: optionalString,
  BCRYPT_COST: intWithDefault(10, 4),

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_CHECKOUT_SUCCESS_URL: optionalString,
  STRIPE_CHECKOUT_CANCEL_URL: optionalString,
  STRIPE_API_BASE_URL: optionalUrl,
  // How long the micro-agent catalogue read from Stripe is reused before it is read again.
  STRIPE_CATALOGUE_TTL_SECONDS: intWithDefault(60),

  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GOOGLE_ISSUER: optionalUrl,
  APPLE_CLIENT_ID: optionalString,
  // Apple's client secret is an ES256 JWT: give one you signed (APPLE_CLIENT_SECRET, wins), or the
  // .p8 key (PEM; "\n" escapes allowed) with its Key ID and Team ID and lib/auth/apple-secret.ts signs it.
  APPLE_CLIENT_SECRET: optionalString,
  APPLE_TEAM_ID: optionalString,
  APPLE_KEY_ID: optionalString,
  APPLE_PRIVATE_KEY: optionalString,
  APPLE_ISSUER: optionalUrl,

  APP_BASE_URL: optionalUrl,
  // next-auth's public base URL; on Vercel (VERCEL=1) or with AUTH_TRUST_HOST the request's host is trusted instead.
  NEXTAUTH_URL: optionalUrl,
  AUTH_TRUST_HOST: boolFlag,
  VERCEL: boolFlag,
  // Vercel system variables (hosts without a scheme); they supply defaults when the explicit ones are unset.
  VERCEL_ENV: optionalString.pipe(z.enum(["production", "preview", "development"]).optional()),
  VERCEL_URL: optionalString,
  VERCEL_BRANCH_URL: optionalString,
  VERCEL_PROJECT_PRODUCTION_URL: optionalString,
  // Vercel Cron sends it as a Bearer token; the job-drain route refuses every call without it.
  CRON_SECRET: optionalString,
  // Test runs against a deployment send it in x-test-allowance to skip the per-address auth limits. Unset: no allowance.
  TEST_ALLOWANCE_SECRET: optionalString,
  // How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use the socket address).
  TRUSTED_PROXY_HOPS: intWithDefault(0, 0),
  // A header the platform sets to the client address and clients cannot forge (Vercel: x-real-ip).
  CLIENT_IP_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9-]+$/i, "must be a header name")
      .optional(),
  ),
  ALLOWED_ORIGIN_REGEX: optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        new RegExp(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: "is not a valid regular expression" },
  ),

  EMAIL_SENDER_NAME: optionalString.transform((v) => v ?? "Microagents"),
  EMAIL_SENDER_ADDRESS: optionalString.transform((v) => v ?? "hi@cumulush.com"),
  SMTP_URL: optionalString,

  RATE_LIMIT_DISABLED: boolFlag,
  // Exposes the benchmark's comparison routes (/api/bench/*); off everywhere else.
  BENCH_ROUTES: boolFlag,

  // Logging (lib/observability/logger.ts): the lowest level written, and JSON lines or readable lines.
  LOG_LEVEL: optionalString.pipe(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional()),
  LOG_FORMAT: optionalString.pipe(z.enum(["json", "pretty"]).optional()),
  // Traces (lib/observability/tracing.ts): exported over OTLP/HTTP when set; Vercel's trace drains set VERCEL_OTEL_ENDPOINTS.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: optionalString,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optionalString,
  VERCEL_OTEL_ENDPOINTS: optionalString,
  VERCEL_OTEL_ENDPOINTS_PORT: optionalString,
  VERCEL_OTEL_ENDPOINTS_PROTOCOL: optionalString,
  OTEL_METRIC_EXPORT_INTERVAL: optionalString,
  // Which traces are recorded (lib/observability/sampler.ts), by OpenTelemetry's standard names.
  OTEL_TRACES_SAMPLER: optionalString,
  OTEL_TRACES_SAMPLER_ARG: optionalString,
});

type Raw = z.infer<typeof rawSchema>;

/** Every variable the app reads (.env.example lists each one with its meaning). */
export const CONFIG_VARIABLES = Object.keys(rawSchema.shape);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Development-only secrets, generated once and kept under DATA_DIR so sessions survive restarts. */
function devSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, "dev-secrets.json");
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    } catch {
      stored = {};
    }
  }
  const existing = stored[name];
  if (existing) return existing;
  const value = randomBytes(32).toString("hex");
  stored[name] = value;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  // Imported late: the logger reads its own settings from this module.
  void import("@/lib/observability/logger").then(({ logger }) =>
    logger.warn({ component: "config" }, `${name} is not set; generated a development secret in ${file}.`),
  );
  return value;
}

const httpsOrigin = (host: string) => `https://${host.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;

/**
 * The public base URL every link points at (lib/http/public-url.ts), from configuration only (never a
 * request's Host header): APP_BASE_URL, else NEXTAUTH_URL, else on Vercel the deployment's own
 * host: production → VERCEL_PROJECT_PRODUCTION_URL, a preview → its branch URL (VERCEL_BRANCH_URL,
 * else VERCEL_URL), so a preview's links never lead to production.
 */
function configuredBaseUrl(raw: Raw): string | undefined {
  const explicit = raw.APP_BASE_URL ?? raw.NEXTAUTH_URL;
  if (explicit) return explicit.replace(/\/+$/, "");
  if (!raw.VERCEL) return undefined;
  const host =
    raw.VERCEL_ENV === "production"
      ? (raw.VERCEL_PROJECT_PRODUCTION_URL ?? raw.VERCEL_URL)
      : (raw.VERCEL_BRANCH_URL ?? raw.VERCEL_URL);
  return host ? httpsOrigin(host) : undefined;
}

/** Origins CORS accepts without ALLOWED_ORIGIN_REGEX: the public base URL and, on Vercel, this deployment's hosts. */
function defaultOrigins(raw: Raw, baseUrl: string | undefined): string[] {
  const hosts = raw.VERCEL ? [raw.VERCEL_URL, raw.VERCEL_BRANCH_URL] : [];
  if (raw.VERCEL && raw.VERCEL_ENV === "production") hosts.push(raw.VERCEL_PROJECT_PRODUCTION_URL);
  const origins = hosts.filter((h): h is string => !!h).map(httpsOrigin);
  if (baseUrl) origins.unshift(new URL(baseUrl).origin);
  return [...new Set(origins)];
}

/** Settings without which the app cannot start (getEnv throws the first), by name. */
function fatalSettingProblems(raw: Raw): Record<string, string> {
  const production = raw.NODE_ENV === "production";
  const problems: Record<string, string> = {};
  // On Vercel the filesystem is read-only: the embedded database cannot work there unless chosen on purpose.
  if ((production || raw.VERCEL) && !raw.DATABASE_URL && raw.DATABASE_DRIVER !== "pglite") {
    problems.database_url =
      "DATABASE_URL is not set. Set it to your PostgreSQL (on Vercel: Neon's pooled) connection string, " +
      "or set DATABASE_DRIVER=pglite to use the embedded database on purpose.";
  }
  if (production && !raw.JWT_SECRET) {
    problems.jwt_secret =
      "JWT_SECRET is not set. Set JWT_SECRET to a long random string before starting in production.";
  }
  return problems;
}

function build(raw: Raw) {
  const production = raw.NODE_ENV === "production";
  const fatal = Object.values(fatalSettingProblems(raw))[0];
  if (fatal) throw new ConfigError(fatal);
  const jwtSecret = raw.JWT_SECRET ?? devSecret(raw.DATA_DIR, "JWT_SECRET");
  const appleSecretParts =
    raw.APPLE_TEAM_ID && raw.APPLE_KEY_ID && raw.APPLE_PRIVATE_KEY
      ? { teamId: raw.APPLE_TEAM_ID, keyId: raw.APPLE_KEY_ID, privateKey: raw.APPLE_PRIVATE_KEY.replace(/\\n/g, "\n") }
      : undefined;

  return {
    nodeEnv: raw.NODE_ENV,
    isProduction: production,
    port: raw.PORT,
    dataDir: raw.DATA_DIR,
    database: {
      url: raw.DATABASE_URL,
      migrationsUrl: raw.MIGRATIONS_DATABASE_URL ?? raw.DATABASE_URL_UNPOOLED ?? raw.DATABASE_URL,
      driver: raw.DATABASE_DRIVER,
      poolMax: raw.DATABASE_POOL_MAX,
      poolIdleMs: raw.DATABASE_POOL_IDLE_MS,
      neonWsProxy: raw.NEON_WS_PROXY,
    },
    openai: {
      apiKey: raw.OPENAI_API_KEY,
      baseURL: raw.OPENAI_BASE_URL,
      model: raw.OPENAI_MODEL,
      timeoutMs: raw.OPENAI_TIMEOUT_MS,
      streamIdleMs: raw.OPENAI_STREAM_IDLE_MS,
    },
    workflow: {
      id: raw.WORKFLOW_ID ?? raw.OPENAI_WORKFLOW_ID,
      version: raw.WORKFLOW_VERSION ?? raw.OPENAI_WORKFLOW_VERSION,
    },
    chatkit: {
      mode: raw.CHATKIT_MODE ?? "self-hosted",
      sessionTtlSeconds: raw.CHATKIT_SESSION_TTL_SECONDS,
      maxRequestsPerMinute: raw.CHATKIT_SESSION_MAX_REQUESTS_PER_MINUTE,
      domainKey: raw.NEXT_PUBLIC_CHATKIT_DOMAIN_KEY ?? "domain_pk_localhost_dev",
      ui: raw.CHAT_UI ?? "auto",
      attachmentMaxBytes: raw.ATTACHMENT_MAX_BYTES,
      turnDeadlineMs: raw.CHATKIT_TURN_DEADLINE_SECONDS * 1000,
    },
    auth: {
      jwtSecret,
      jwtAlgorithm: raw.JWT_ALGORITHM,
      jwtExpiresIn: raw.JWT_EXPIRES_IN,
      sessionSecret: raw.SESSION_SECRET ?? jwtSecret,
      bcryptCost: raw.BCRYPT_COST,
      google:
        raw.GOOGLE_CLIENT_ID && raw.GOOGLE_CLIENT_SECRET
          ? { clientId: raw.GOOGLE_CLIENT_ID, clientSecret: raw.GOOGLE_CLIENT_SECRET, issuer: raw.GOOGLE_ISSUER }
          : undefined,
      apple:
        raw.APPLE_CLIENT_ID && (raw.APPLE_CLIENT_SECRET || appleSecretParts)
          ? {
              clientId: raw.APPLE_CLIENT_ID,
              clientSecret: raw.APPLE_CLIENT_SECRET,
              generate: appleSecretParts,
              issuer: raw.APPLE_ISSUER,
            }
          : undefined,
    },
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY,
      // Several signing secrets, comma-separated: one per webhook endpoint (production, a preview's), or old and new while rotating.
      webhookSecrets: (raw.STRIPE_WEBHOOK_SECRET ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      successUrl: raw.STRIPE_CHECKOUT_SUCCESS_URL,
      cancelUrl: raw.STRIPE_CHECKOUT_CANCEL_URL,
      apiBaseUrl: raw.STRIPE_API_BASE_URL,
      catalogueTtlSeconds: raw.STRIPE_CATALOGUE_TTL_SECONDS,
    },
    publicBaseUrl: configuredBaseUrl(raw),
    allowedOrigins: defaultOrigins(raw, configuredBaseUrl(raw)),
    vercel: raw.VERCEL ? { env: raw.VERCEL_ENV ?? "development" } : undefined,
    cronSecret: raw.CRON_SECRET,
    testAllowanceSecret: raw.TEST_ALLOWANCE_SECRET,
    clientAddress: {
      trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
      header: (raw.CLIENT_IP_HEADER ?? (raw.VERCEL ? "x-real-ip" : undefined))?.toLowerCase(),
    },
    limits: {
      messageMaxChars: raw.CHAT_MESSAGE_MAX_CHARS,
      historyMaxChars: raw.CHAT_HISTORY_MAX_CHARS,
      titleMaxChars: raw.CHAT_TITLE_MAX_CHARS,
      modelTurns: { perMinute: raw.MODEL_TURNS_PER_MINUTE, perDay: raw.MODEL_TURNS_PER_DAY },
      uploads: { perMinute: raw.UPLOADS_PER_MINUTE, perDay: raw.UPLOADS_PER_DAY },
    },
    nextAuthUrl: raw.NEXTAUTH_URL?.replace(/\/+$/, ""),
    trustHost: raw.AUTH_TRUST_HOST || raw.VERCEL,
    allowedOriginRegex: raw.ALLOWED_ORIGIN_REGEX ? new RegExp(raw.ALLOWED_ORIGIN_REGEX) : undefined,
    email: {
      senderName: raw.EMAIL_SENDER_NAME,
      senderAddress: raw.EMAIL_SENDER_ADDRESS,
      smtpUrl: raw.SMTP_URL,
    },
    rateLimitDisabled: raw.RATE_LIMIT_DISABLED,
    benchRoutes: raw.BENCH_ROUTES,
  };
}

export type Env = ReturnType<typeof build>;

let cached: Env | undefined;

/** Parse and validate the environment once; throws ConfigError with a message naming the variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = rawSchema.safeParse(process.env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first?.path.join(".") ?? "configuration";
    throw new ConfigError(`Invalid configuration: ${name} ${first?.message ?? "is invalid"}.`);
  }
  cached = build(parsed.data);
  return cached;
}

/**
 * `next dev` (hot reloading needs a looser page CSP). Read apart from getEnv(): every page's CSP
 * depends on it, and a page should render its own configuration error rather than fail in the proxy.
 */
export function isDevelopmentServer(): boolean {
  return process.env.NODE_ENV === "development";
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

/**
 * next-auth v4 reads its public URL only from the process environment (NEXTAUTH_URL, or the
 * request host when AUTH_TRUST_HOST is set). This hands our validated base URL over to it;
 * it is the one place besides the settings readers that writes process.env.
 */
export function publishNextAuthOrigin(origin: { url?: string; trustHost?: boolean }): void {
  if (origin.url) process.env.NEXTAUTH_URL = origin.url;
  else if (origin.trustHost) process.env.AUTH_TRUST_HOST = "1";
}

const logSchema = rawSchema.pick({ NODE_ENV: true, LOG_LEVEL: true, LOG_FORMAT: true });
const tracingSchema = rawSchema.pick({
  OTEL_EXPORTER_OTLP_ENDPOINT: true,
  OTEL_EXPORTER_OTLP_PROTOCOL: true,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: true,
  VERCEL_OTEL_ENDPOINTS: true,
  VERCEL_OTEL_ENDPOINTS_PORT: true,
  VERCEL_OTEL_ENDPOINTS_PROTOCOL: true,
  OTEL_TRACES_SAMPLER: true,
  OTEL_TRACES_SAMPLER_ARG: true,
  OTEL_METRIC_EXPORT_INTERVAL: true,
  VERCEL: true,
});

export type TracingSettings = {
  enabled: boolean;
  sampler?: string;
  samplerArg?: string;
  /** OTLP/HTTP's two encodings; gRPC is not offered (collectors take both of these). */
  protocol: "http/protobuf" | "http/json";
  /** Where spans go when not where OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT says (a Vercel trace drain's local collector). */
  tracesUrl?: string;
  metricIntervalMs: number;
  /** On Vercel, where a function may be frozen once it has answered: export at the end of each request. */
  flushEachRequest: boolean;
};

/**
 * Whether traces are exported (read apart from getEnv(), like logSettings): an OTLP endpoint or a
 * Vercel trace drain is configured. Otherwise no tracer is made and spans cost nothing. With them:
 * the sampler, the encoding, and how often metrics go out, as OpenTelemetry's variables say (the
 * exporters read the endpoint's URL, headers, timeout and compression themselves). An invalid
 * value falls back to the default.
 */
export function tracingSettings(): TracingSettings {
  const parsed = tracingSchema.safeParse(process.env);
  const off = { enabled: false, protocol: "http/protobuf", metricIntervalMs: 60_000, flushEachRequest: false } as const;
  if (!parsed.success) return off;
  const env = parsed.data;
  const drain = env.VERCEL_OTEL_ENDPOINTS;
  const protocol = drain
    ? env.VERCEL_OTEL_ENDPOINTS_PROTOCOL
    : (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL);
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return {
    enabled: !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || drain),
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerArg: env.OTEL_TRACES_SAMPLER_ARG,
    protocol: protocol?.trim() === "http/json" ? "http/json" : "http/protobuf",
    ...(drain ? { tracesUrl: `http://localhost:${Number(env.VERCEL_OTEL_ENDPOINTS_PORT) || 4318}/v1/traces` } : {}),
    metricIntervalMs: Number.isInteger(interval) && interval > 0 ? interval : off.metricIntervalMs,
    flushEachRequest: env.VERCEL,
  };
}

/**
 * The logger's settings, read apart from getEnv(): the logger must work (and report) when the
 * rest of the configuration is invalid. Defaults: `info` (silent under tests), JSON lines in
 * production and tests, readable lines in development. An invalid value falls back to the default.
 */
export function logSettings(): { level: NonNullable<Raw["LOG_LEVEL"]>; format: "json" | "pretty" } {
  const parsed = logSchema.safeParse(process.env);
  const raw = parsed.success ? parsed.data : undefined;
  const nodeEnv = raw?.NODE_ENV ?? "development";
  return {
    level: raw?.LOG_LEVEL ?? (nodeEnv === "test" ? "silent" : "info"),
    format: raw?.LOG_FORMAT ?? (nodeEnv === "development" ? "pretty" : "json"),
  };
}

export type ConfigurationProblem = { fatal: boolean; detail: string };

/**
 * Every configuration problem, each under its own name (e.g. `jwt_secret`), for /health and the
 * start-up log line. `fatal`: a main journey (sign-up, sign-in, chat) cannot be served; else a
 * side journey is broken (webhooks, email delivery, scheduled jobs). Never throws; sentences name
 * variables, never their values.
 */
export function configurationProblems(): Record<string, ConfigurationProblem> {
  const parsed = rawSchema.safeParse(process.env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first?.path.join(".") ?? "configuration";
    return { settings: { fatal: true, detail: `Invalid configuration: ${name} ${first?.message ?? "is invalid"}.` } };
  }
  const raw = parsed.data;
  const production = raw.NODE_ENV === "production";
  const problems: Record<string, ConfigurationProblem> = {};
  for (const [name, detail] of Object.entries(fatalSettingProblems(raw))) problems[name] = { fatal: true, detail };
  if (production && !configuredBaseUrl(raw))
    problems.public_base_url = {
      fatal: true,
      detail:
        "No public base URL: set APP_BASE_URL (or NEXTAUTH_URL) to the address people use. Sign-up, emails and checkout need it; on Vercel the deployment's host is used.",
    };
  if (production && !raw.OPENAI_API_KEY)
    // Not fatal: everything else serves, and the chat itself says what to set (a preview may run
    // without a model on purpose; README "Playwright per preview").
    problems.openai_api_key = {
      fatal: false,
      detail: "OPENAI_API_KEY is not set: the assistant cannot answer, and the chat says so.",
    };
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET)
    problems.stripe_webhook_secret = {
      fatal: false,
      detail:
        "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: every Stripe webhook is refused, so renewals, cancellations and payment failures never apply.",
    };
  if (production && !raw.SMTP_URL)
    problems.smtp_url = {
      fatal: false,
      detail: "SMTP_URL is not set: verification and password-reset emails are not delivered.",
    };
  if (production && raw.VERCEL && !raw.CRON_SECRET)
    problems.cron_secret = {
      fatal: false,
      detail: "CRON_SECRET is not set: Vercel Cron cannot drain the job queues (emails, account clean-up).",
    };
  return problems;
}
