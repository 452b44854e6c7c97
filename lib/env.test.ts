import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, getEnv, resetEnvCache } from "./env";

const saved = { ...process.env };
function withEnv(vars: Record<string, string | undefined>) {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

afterEach(() => withEnv({}));

describe("configuration", () => {
  it("applies the documented defaults", () => {
    withEnv({ JWT_SECRET: "s", JWT_EXPIRES_IN: undefined, EMAIL_SENDER_NAME: undefined, OPENAI_MODEL: undefined });
    const env = getEnv();
    expect(env.auth.jwtExpiresIn).toBe(3600);
    expect(env.auth.jwtAlgorithm).toBe("HS256");
    expect(env.email.senderName).toBe("Microagents");
    expect(env.openai.model).toBe("gpt-4.1-mini");
    expect(env.auth.sessionSecret).toBe("s");
  });

  it("accepts the seed's aliases for the workflow id and version", () => {
    withEnv({ JWT_SECRET: "s", WORKFLOW_ID: undefined, OPENAI_WORKFLOW_ID: "wf_alias", OPENAI_WORKFLOW_VERSION: "3" });
    expect(getEnv().workflow).toEqual({ id: "wf_alias", version: "3" });
  });

  it("prefers WORKFLOW_ID over its alias", () => {
    withEnv({ JWT_SECRET: "s", WORKFLOW_ID: "wf_main", OPENAI_WORKFLOW_ID: "wf_alias" });
    expect(getEnv().workflow.id).toBe("wf_main");
  });

  it("refuses to start in production without JWT_SECRET, naming the variable", () => {
    withEnv({ NODE_ENV: "production", JWT_SECRET: undefined });
    expect(() => getEnv()).toThrowError(ConfigError);
    expect(() => getEnv()).toThrowError(/JWT_SECRET/);
  });

  it("generates a development secret once and keeps it under DATA_DIR", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "env-"));
    withEnv({ NODE_ENV: "development", JWT_SECRET: undefined, DATA_DIR: dir });
    const first = getEnv().auth.jwtSecret;
    resetEnvCache();
    const second = getEnv().auth.jwtSecret;
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(JSON.parse(readFileSync(path.join(dir, "dev-secrets.json"), "utf8")).JWT_SECRET).toBe(first);
  });

  it("treats unconfigured integrations as off", () => {
    withEnv({ JWT_SECRET: "s", GOOGLE_CLIENT_ID: undefined, STRIPE_SECRET_KEY: undefined, APPLE_CLIENT_ID: "a" });
    const env = getEnv();
    expect(env.auth.google).toBeUndefined();
    expect(env.auth.apple).toBeUndefined(); // id without any secret material
    expect(env.stripe.secretKey).toBeUndefined();
  });

  it("rejects a non-numeric JWT_EXPIRES_IN with a message naming it", () => {
    withEnv({ JWT_SECRET: "s", JWT_EXPIRES_IN: "soon" });
    expect(() => getEnv()).toThrowError(/JWT_EXPIRES_IN/);
  });

  it("rejects an invalid ALLOWED_ORIGIN_REGEX", () => {
    withEnv({ JWT_SECRET: "s", ALLOWED_ORIGIN_REGEX: "([" });
    expect(() => getEnv()).toThrowError(/ALLOWED_ORIGIN_REGEX/);
  });
});
