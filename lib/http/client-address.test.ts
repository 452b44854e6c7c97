/** The trusted client address: spoofed X-Forwarded-For never chooses the rate-limit bucket. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { useTestDatabase } from "@/e2e/support/test-database";
import { AUTH_RATE_LIMITS } from "@/lib/auth/rate-limits";
import { resetEnvCache } from "@/lib/env";
import { clientAddress, installSocketAddressHeader, SOCKET_ADDRESS_HEADER } from "./client-address";

useTestDatabase({ APP_BASE_URL: "https://app.example.test", RATE_LIMIT_DISABLED: "", BCRYPT_COST: "4" });

function configure(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

afterEach(() => configure({ TRUSTED_PROXY_HOPS: undefined, CLIENT_IP_HEADER: undefined, VERCEL: undefined }));

const req = (headers: Record<string, string>) => new Request("http://app/", { headers });

describe("clientAddress", () => {
  it("with no proxy configured, ignores X-Forwarded-For and X-Real-IP and reads the socket address stamp", () => {
    const spoofed = { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.10" };
    expect(clientAddress(req(spoofed))).toBe("unknown");
    expect(clientAddress(req({ ...spoofed, [SOCKET_ADDRESS_HEADER]: "198.51.100.7" }))).toBe("198.51.100.7");
  });

  it("with one trusted proxy, takes the entry that proxy appended, whatever the client put before it", () => {
    configure({ TRUSTED_PROXY_HOPS: "1" });
    expect(clientAddress(req({ "x-forwarded-for": "1.1.1.1, 2.2.2.2, 198.51.100.7" }))).toBe("198.51.100.7");
    expect(clientAddress(req({ "x-forwarded-for": "9.9.9.9, 198.51.100.7" }))).toBe("198.51.100.7");
    configure({ TRUSTED_PROXY_HOPS: "2" });
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" }))).toBe("198.51.100.7");
  });

  it("on Vercel reads the platform's x-real-ip, and CLIENT_IP_HEADER picks another header", () => {
    configure({ VERCEL: "1" });
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "198.51.100.7" }))).toBe("198.51.100.7");
    configure({ VERCEL: "1", CLIENT_IP_HEADER: "x-vercel-forwarded-for" });
    expect(clientAddress(req({ "x-vercel-forwarded-for": "198.51.100.8", "x-real-ip": "6.6.6.6" }))).toBe(
      "198.51.100.8",
    );
  });

  it("the start-up hook stamps the real socket address over a value the client sent", async () => {
    installSocketAddressHeader(http);
    const server = http.createServer((request, response) =>
      response.end(String(request.headers[SOCKET_ADDRESS_HEADER])),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [SOCKET_ADDRESS_HEADER]: "6.6.6.6" } });
      expect(await res.text()).toBe("127.0.0.1");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("rate limits keyed on the trusted address", () => {
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    new Request(`http://app${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("rotating X-Forwarded-For does not buy more signups than the limit", async () => {
    const limit = AUTH_RATE_LIMITS.signup.ip.limit;
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++) {
      const headers = { "x-forwarded-for": `203.0.113.${i}`, [SOCKET_ADDRESS_HEADER]: "198.51.100.20" };
      const res = await signup(
        post("/api/auth/signup", { email: `rot${i}@example.com`, password: "password123" }, headers),
        undefined,
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, limit).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("a stranger's failed logins do not lock the owner out from the owner's own address", async () => {
    await signup(
      post(
        "/api/auth/signup",
        { email: "owner@example.com", password: "owner password" },
        { [SOCKET_ADDRESS_HEADER]: "198.51.100.30" },
      ),
      undefined,
    );
    const stranger = { [SOCKET_ADDRESS_HEADER]: "203.0.113.66" };
    const limit = AUTH_RATE_LIMITS.login.accountClient.limit;
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++) {
      statuses.push(
        (
          await login(
            post("/api/auth/login", { email: "owner@example.com", password: `guess ${i}` }, stranger),
            undefined,
          )
        ).status,
      );
    }
    expect(statuses.at(-1)).toBe(429);
    const owner = await login(
      post(
        "/api/auth/login",
        { email: "owner@example.com", password: "owner password" },
        { [SOCKET_ADDRESS_HEADER]: "198.51.100.31" },
      ),
      undefined,
    );
    expect(owner.status).toBe(200);
  });
});
