import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutUrls } from "@/lib/billing/subscribe";
import { portalReturnUrl } from "@/lib/billing/portal";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "./errors";
import { linkBaseUrl } from "./public-url";

const saved = { ...process.env };
function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

const PREVIEW = "https://app-git-feature-team.vercel.app";
/** A Vercel preview with no configured URL: only the system variables Vercel sets. */
const vercelPreview = {
  NODE_ENV: "production",
  JWT_SECRET: "s",
  DATABASE_URL: "postgres://u@db/x",
  APP_BASE_URL: undefined,
  NEXTAUTH_URL: undefined,
  AUTH_TRUST_HOST: undefined,
  STRIPE_CHECKOUT_SUCCESS_URL: undefined,
  STRIPE_CHECKOUT_CANCEL_URL: undefined,
  VERCEL: "1",
  VERCEL_ENV: "preview",
  VERCEL_URL: "app-abc123-team.vercel.app",
  VERCEL_BRANCH_URL: "app-git-feature-team.vercel.app",
  VERCEL_PROJECT_PRODUCTION_URL: "facts.example.com",
};

describe("one public base URL for every link", () => {
  it("on a preview with no configured URL, checkout, the portal, emails and OAuth all name the preview's branch URL", async () => {
    setEnv(vercelPreview);
    // Reached at the deployment's own URL, with a Host header the client chose.
    const request = new Request("https://app-abc123-team.vercel.app/api/billing/portal", {
      headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
    });
    const base = linkBaseUrl(request); // what the email, checkout, portal and attachment routes pass on
    expect(base).toBe(PREVIEW);
    const { successUrl, cancelUrl } = checkoutUrls(base);
    vi.resetModules(); // next-auth's origin is published once per process
    const { configureNextAuthOrigin } = await import("@/lib/auth/next-auth-origin");
    configureNextAuthOrigin();
    const links = [successUrl, cancelUrl, portalReturnUrl(base), process.env.NEXTAUTH_URL ?? "(unset)"];
    expect(links.map((link) => new URL(link).origin)).toEqual([PREVIEW, PREVIEW, PREVIEW, PREVIEW]);
  });

  it("APP_BASE_URL wins over the deployment's hosts", () => {
    setEnv({ ...vercelPreview, APP_BASE_URL: "https://facts.example.com/" });
    expect(linkBaseUrl(new Request("https://app-abc123-team.vercel.app/x"))).toBe("https://facts.example.com");
  });

  it("development without configuration uses the origin the request reached", () => {
    setEnv({ NODE_ENV: "development", APP_BASE_URL: undefined, NEXTAUTH_URL: undefined, VERCEL: undefined });
    expect(linkBaseUrl(new Request("http://localhost:3000/api/auth/signup"))).toBe("http://localhost:3000");
  });

  it("production off Vercel without configuration refuses to make a link from the request's host", () => {
    setEnv({ ...vercelPreview, VERCEL: undefined });
    let thrown: unknown;
    try {
      linkBaseUrl(new Request("https://evil.example/api/auth/forgot-password"));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 500, code: "not_configured" });
  });
});
