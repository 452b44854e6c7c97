import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api";
import { createClientSecretGetter } from "./hosted-session";

function answer(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function session(n: number) {
  return { client_secret: `secret_${n}`, session_id: `cksess_${n}`, expires_at: 1_900_000_000, status: "active" };
}

describe("hosted client secrets", () => {
  it("mints a session first, then rotates it through refresh with the previous session id", async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(answer(session(1)))
      .mockResolvedValueOnce(answer(session(2)))
      .mockResolvedValueOnce(answer(session(3)));
    const getSecret = createClientSecretGetter(fetchImpl);

    expect(await getSecret(null)).toBe("secret_1");
    expect(await getSecret("secret_1")).toBe("secret_2");
    expect(await getSecret("secret_2")).toBe("secret_3");

    const calls = fetchImpl.mock.calls.map(([url, init]) => [url, init?.method, JSON.parse(String(init?.body))]);
    expect(calls).toEqual([
      ["/api/chatkit/session", "POST", {}],
      ["/api/chatkit/refresh", "POST", { session_id: "cksess_1" }],
      ["/api/chatkit/refresh", "POST", { session_id: "cksess_2" }],
    ]);
  });

  it("a failed mint surfaces the server's detail and the next ask starts a new session", async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(answer({ detail: "Unable to create ChatKit session.", code: "bad_gateway" }, 502))
      .mockResolvedValueOnce(answer(session(1)));
    const getSecret = createClientSecretGetter(fetchImpl);
    const error = await getSecret(null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, message: "Unable to create ChatKit session." });
    expect(await getSecret(null)).toBe("secret_1");
    expect(fetchImpl.mock.calls[1]?.[0]).toBe("/api/chatkit/session");
  });

  it("an answer without a client secret is an error, not an empty secret", async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(answer({ session_id: "cksess_1" }));
    await expect(createClientSecretGetter(fetchImpl)(null)).rejects.toThrow(/malformed/);
  });
});
