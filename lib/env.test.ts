import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, getEnv, resetEnvCache } from "./env";

const saved = { ...process.env };
/** The environment the file started with, plus `vars` (undefined removes one). */
function resetEnvTo(vars: Record<string, string | undefined>) {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

afterEach(() => resetEnvTo({}));

describe("configuration", () => {
  it("applies the documented defaults", () => {
    resetEnvTo({ JWT_SECRET: "s", JWT_EXPIRES_IN: undefined, EMAIL_SENDER_NAME: undefined, OPENAI_MODEL: undefined });
    const env = getEnv();
    expect(env.auth.jwtExpiresIn).toBe(3600);
    expect(env.auth.jwtAlgorithm).toBe("HS256");
    expect(env.email.senderName).toBe("Microagents");
    expect(env.openai.model).toBe("gpt-4.1-mini");
    expect(env.auth.sessionSecret).toBe("s");
  });

  it("accepts the seed's aliases for the workflow id and version", () => {
    resetEnvTo({
      JWT_SECRET: "s",
      WORKFLOW_ID: undefined,
      OPENAI_WORKFLOW_ID: "wf_alias",
      OPENAI_WORKFLOW_VERSION: "3",
    });
    expect(getEnv().workflow).toEqual({ id: "wf_alias", version: "3" });
  });

  it("prefers WORKFLOW_ID over its alias", () => {
    resetEnvTo({ JWT_SECRET: "s", WORKFLOW_ID: "wf_main", OPENAI_WORKFLOW_ID: "wf_alias" });
    expect(getEnv().workflow.id).toBe("wf_main");
  });

  it("refuses to start in production without JWT_SECRET, naming the variable", () => {
    resetEnvTo({ NODE_ENV: "production", JWT_SECRET: undefined, DATABASE_URL: "postgres://u@db/x" });
    expect(() => getEnv()).toThrowError(ConfigError);
    expect(() => getEnv()).toThrowError(/JWT_SECRET/);
  });

  it("generates a development secret once and keeps it under DATA_DIR", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "env-"));
    resetEnvTo({ NODE_ENV: "development", JWT_SECRET: undefined, DATA_DIR: dir });
    const first = getEnv().auth.jwtSecret;
    resetEnvCache();
    const second = getEnv().auth.jwtSecret;
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(JSON.parse(readFileSync(path.join(dir, "dev-secrets.json"), "utf8")).JWT_SECRET).toBe(first);
  });

  it("treats unconfigured integrations as off", () => {
    resetEnvTo({ JWT_SECRET: "s", GOOGLE_CLIENT_ID: undefined, STRIPE_SECRET_KEY: undefined, APPLE_CLIENT_ID: "a" });
    const env = getEnv();
    expect(env.auth.google).toBeUndefined();
    expect(env.auth.apple).toBeUndefined(); // id without any secret material
    expect(env.stripe.secretKey).toBeUndefined();
  });

  it("rejects a non-numeric JWT_EXPIRES_IN with a message naming it", () => {
    resetEnvTo({ JWT_SECRET: "s", JWT_EXPIRES_IN: "soon" });
    expect(() => getEnv()).toThrowError(/JWT_EXPIRES_IN/);
  });

  it("rejects an invalid ALLOWED_ORIGIN_REGEX", () => {
    resetEnvTo({ JWT_SECRET: "s", ALLOWED_ORIGIN_REGEX: "([" });
    expect(() => getEnv()).toThrowError(/ALLOWED_ORIGIN_REGEX/);
  });

  it("stops a Vercel or production start without DATABASE_URL, naming the variable, unless PGlite is chosen", () => {
    resetEnvTo({
      VERCEL: "1",
      NODE_ENV: "production",
      JWT_SECRET: "s",
      DATABASE_URL: undefined,
      DATABASE_DRIVER: undefined,
    });
    expect(() => getEnv()).toThrowError(ConfigError);
    expect(() => getEnv()).toThrowError(/DATABASE_URL is not set/);
    resetEnvTo({ NODE_ENV: "production", JWT_SECRET: "s", DATABASE_URL: undefined, DATABASE_DRIVER: undefined });
    expect(() => getEnv()).toThrowError(/DATABASE_URL/);
    resetEnvTo({ NODE_ENV: "production", JWT_SECRET: "s", DATABASE_URL: undefined, DATABASE_DRIVER: "pglite" });
    expect(getEnv().database.driver).toBe("pglite");
  });

  it("migrates over MIGRATIONS_DATABASE_URL, else Neon's DATABASE_URL_UNPOOLED, else DATABASE_URL", () => {
    const pooled = "postgres://u@ep-x-pooler.eu.aws.neon.tech/db";
    const direct = "postgres://u@ep-x.eu.aws.neon.tech/db";
    resetEnvTo({
      JWT_SECRET: "s",
      DATABASE_URL: pooled,
      DATABASE_URL_UNPOOLED: undefined,
      MIGRATIONS_DATABASE_URL: undefined,
    });
    expect(getEnv().database.migrationsUrl).toBe(pooled);
    resetEnvTo({
      JWT_SECRET: "s",
      DATABASE_URL: pooled,
      DATABASE_URL_UNPOOLED: direct,
      MIGRATIONS_DATABASE_URL: undefined,
    });
    expect(getEnv().database.migrationsUrl).toBe(direct);
    resetEnvTo({
      JWT_SECRET: "s",
      DATABASE_URL: pooled,
      DATABASE_URL_UNPOOLED: direct,
      MIGRATIONS_DATABASE_URL: "postgres://m/db",
    });
    expect(getEnv().database.migrationsUrl).toBe("postgres://m/db");
  });

  const vercel = {
    VERCEL: "1",
    JWT_SECRET: "s",
    DATABASE_URL: "postgres://u@db/x",
    APP_BASE_URL: undefined,
    NEXTAUTH_URL: undefined,
    VERCEL_URL: "app-git-feature-abc123-team.vercel.app",
    VERCEL_BRANCH_URL: "app-git-feature-team.vercel.app",
    VERCEL_PROJECT_PRODUCTION_URL: "facts.example.com",
  };

  it("a preview deployment's links and CORS use the preview's own hosts, never production's", () => {
    resetEnvTo({ ...vercel, VERCEL_ENV: "preview" });
    const env = getEnv();
    expect(env.publicBaseUrl).toBe("https://app-git-feature-team.vercel.app");
    expect(env.allowedOrigins).toEqual([
      "https://app-git-feature-team.vercel.app",
      "https://app-git-feature-abc123-team.vercel.app",
    ]);
    resetEnvTo({ ...vercel, VERCEL_ENV: "preview", VERCEL_BRANCH_URL: undefined });
    expect(getEnv().publicBaseUrl).toBe("https://app-git-feature-abc123-team.vercel.app");
  });

  it("a production deployment uses the project's production domain; explicit APP_BASE_URL wins everywhere", () => {
    resetEnvTo({ ...vercel, VERCEL_ENV: "production" });
    expect(getEnv().publicBaseUrl).toBe("https://facts.example.com");
    expect(getEnv().allowedOrigins).toContain("https://facts.example.com");
    resetEnvTo({ ...vercel, VERCEL_ENV: "preview", APP_BASE_URL: "https://preview.example.com/" });
    expect(getEnv().publicBaseUrl).toBe("https://preview.example.com");
    resetEnvTo({ ...vercel, VERCEL: undefined, VERCEL_ENV: "preview" });
    expect(getEnv().publicBaseUrl).toBeUndefined(); // system variables count only on Vercel
    expect(getEnv().allowedOrigins).toEqual([]);
  });

  it("chooses the chat UI: auto by default, chatkit or builtin when asked, anything else refused by name", () => {
    resetEnvTo({ JWT_SECRET: "s", CHAT_UI: undefined });
    expect(getEnv().chatkit.ui).toBe("auto");
    resetEnvTo({ JWT_SECRET: "s", CHAT_UI: " builtin " });
    expect(getEnv().chatkit.ui).toBe("builtin");
    resetEnvTo({ JWT_SECRET: "s", CHAT_UI: "chatkit" });
    expect(getEnv().chatkit.ui).toBe("chatkit");
    resetEnvTo({ JWT_SECRET: "s", CHAT_UI: "react" });
    expect(() => getEnv()).toThrowError(/CHAT_UI/);
  });

  it(".env.example lists every variable the configuration reads", () => {
    const listed = new Set(
      readFileSync(".env.example", "utf8")
        .split("\n")
        .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    expect(CONFIG_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
  });
});
