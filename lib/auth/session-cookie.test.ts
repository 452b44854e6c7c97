/** requireUser with the next-auth session cookie: secure and chunked names, other secrets, versions. */
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser } from "@/e2e/support/users";
import { getEnv } from "@/lib/env";
import { currentUser } from "./require-user";
import { readSessionUserId, sessionCookieFor } from "./session-cookie";

useTestDatabase();
const withCookie = (cookie: string) => new Request("http://app/", { headers: { cookie } });

describe("session cookie → caller", () => {
  it("reads the plain and the __Secure- cookie names", async () => {
    const user = await createTestUser();
    for (const secure of [false, true]) {
      const cookie = await sessionCookieFor({ id: user.id, email: user.email, tokenVersion: 0 }, { secure });
      expect((await currentUser(withCookie(`other=1; ${cookie}`)))?.id).toBe(user.id);
    }
  });

  it("joins a session split into chunk cookies (.0, .1)", async () => {
    const user = await createTestUser();
    const value = (await sessionCookieFor({ id: user.id, email: user.email, tokenVersion: 0 })).split("=")[1] ?? "";
    const half = Math.floor(value.length / 2);
    const cookie = `next-auth.session-token.1=${value.slice(half)}; next-auth.session-token.0=${value.slice(0, half)}`;
    expect(await readSessionUserId(withCookie(cookie))).toMatchObject({ userId: user.id, tokenVersion: 0 });
  });

  it("rejects a session sealed with another secret, an expired one, and one whose token version is stale", async () => {
    const user = await createTestUser();
    const foreign = await encode({ token: { sub: user.id, ver: 0 }, secret: "not-our-secret-0123456789abcdef0123" });
    expect(await currentUser(withCookie(`next-auth.session-token=${foreign}`))).toBeNull();
    const expired = await encode({ token: { sub: user.id, ver: 0 }, secret: getEnv().auth.sessionSecret, maxAge: -60 });
    expect(await currentUser(withCookie(`next-auth.session-token=${expired}`))).toBeNull();
    const cookie = await sessionCookieFor({ id: user.id, email: user.email, tokenVersion: 0 });
    await (await getDb()).update(users).set({ tokenVersion: 1 }).where(eq(users.id, user.id));
    expect(await currentUser(withCookie(cookie))).toBeNull();
  });

  it("ignores sessions without a user id and oversized cookie headers", async () => {
    const noSub = await encode({ token: { email: "x@example.com" }, secret: getEnv().auth.sessionSecret });
    expect(await readSessionUserId(withCookie(`next-auth.session-token=${noSub}`))).toBeNull();
    expect(await readSessionUserId(withCookie(`next-auth.session-token=${"a".repeat(20_000)}`))).toBeNull();
  });
});
