/**
 * Hosted ChatKit sessions through the real production server, against the OpenAI fake on its
 * fixed port (the e2e env points OPENAI_BASE_URL at it and sets WORKFLOW_ID=wf_e2e_default).
 */
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { FAKE_PORTS } from "./support/e2e-env";

const FAKE = `http://127.0.0.1:${FAKE_PORTS.openai}`;

type FakeSession = {
  id: string;
  status: string;
  user: string;
  workflow: { id: string; state_variables: Record<string, unknown> | null };
};
type FakeStore = { id: string; name: string };

test(
  "a signed-up user mints and refreshes a hosted session carrying user_id and vector_store_id",
  { tag: "@fakes" },
  async ({ request }) => {
    const email = `sessions-${randomBytes(4).toString("hex")}@example.com`;
    const signup = await request.post("/api/auth/signup", { data: { email, password: "correct horse battery" } });
    expect(signup.status()).toBe(201);
    const { access_token: token, user } = (await signup.json()) as { access_token: string; user: { id: string } };
    const headers = { authorization: `Bearer ${token}` };

    expect((await request.post("/api/chatkit/session", { data: {} })).status()).toBe(401);

    const first = await request.post("/api/chatkit/session", { headers, data: { stateVariables: { plan: "pro" } } });
    expect(first.status()).toBe(200);
    const minted = (await first.json()) as Record<string, unknown>;
    expect(minted).toMatchObject({ status: "active", user: user.id, max_requests_per_1_minute: 10 });
    expect(typeof minted.client_secret).toBe("string");

    const state = (await (await request.get(`${FAKE}/__fake/state`)).json()) as {
      sessions: FakeSession[];
      vector_stores: FakeStore[];
    };
    const session = state.sessions.find((s) => s.id === minted.session_id);
    const store = state.vector_stores.find((s) => s.name === `user-${user.id}-memory`);
    expect(store).toBeDefined();
    expect(session?.workflow).toMatchObject({
      id: "wf_e2e_default",
      state_variables: { plan: "pro", user_id: user.id, vector_store_id: store?.id },
    });

    const refreshed = await request.post("/api/chatkit/refresh", { headers, data: { session_id: minted.session_id } });
    expect(refreshed.status()).toBe(200);
    const renewed = (await refreshed.json()) as Record<string, unknown>;
    expect(renewed.session_id).not.toBe(minted.session_id);
    const after = (await (await request.get(`${FAKE}/__fake/state`)).json()) as {
      sessions: FakeSession[];
      vector_stores: FakeStore[];
    };
    expect(after.sessions.find((s) => s.id === minted.session_id)?.status).toBe("cancelled");
    expect(after.vector_stores.filter((s) => s.name === `user-${user.id}-memory`)).toHaveLength(1);

    expect(
      (await request.post("/api/chatkit/session", { headers, data: { workflow_id: "wf_not_mine" } })).status(),
    ).toBe(403);
  },
);
