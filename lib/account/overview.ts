/** The account overview on /settings and `GET /api/account`: who, since when, and how they sign in. */
import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { oauthAccounts, users, type OAuthAccount, type User } from "@/db/schema";
import { unauthorized } from "@/lib/http";

export const SIGN_IN_METHODS = ["password", "google", "apple"] as const;

export const accountOverviewSchema = z.object({
  id: z.uuid(),
  email: z.string().meta({ examples: ["ada@example.com"] }),
  created_at: z.string().meta({ description: "When the account was created (ISO-8601 UTC)." }),
  email_verified: z.boolean().meta({
    description: "Whether the owner proved the address (verification link, reset link, or a Google/Apple identity).",
  }),
  has_password: z
    .boolean()
    .meta({ description: "False for accounts that only sign in with Google or Apple (they can set one by email)." }),
  sign_in_methods: z
    .array(z.enum(SIGN_IN_METHODS))
    .meta({ description: "How this account can sign in: `password`, and each linked provider." }),
  linked_accounts: z.array(
    z.object({
      provider: z.enum(["google", "apple"]),
      email: z.string().nullable().meta({ description: "The address the provider reported when it was linked." }),
      linked_at: z.string(),
    }),
  ),
});
export type AccountOverview = z.infer<typeof accountOverviewSchema>;

const isProvider = (p: string): p is "google" | "apple" => p === "google" || p === "apple";

export function signInMethods(user: Pick<User, "hashedPassword">, linked: Pick<OAuthAccount, "provider">[]) {
  const providers = new Set(linked.map((a) => a.provider));
  return SIGN_IN_METHODS.filter((m) => (m === "password" ? user.hashedPassword !== null : providers.has(m)));
}

export async function accountOverview(userId: string): Promise<AccountOverview> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw unauthorized();
  const linked = await db
    .select()
    .from(oauthAccounts)
    .where(eq(oauthAccounts.userId, userId))
    .orderBy(asc(oauthAccounts.createdAt));
  return {
    id: user.id,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    email_verified: user.emailVerifiedAt !== null,
    has_password: user.hashedPassword !== null,
    sign_in_methods: signInMethods(user, linked),
    linked_accounts: linked.flatMap((a) =>
      isProvider(a.provider) ? [{ provider: a.provider, email: a.email, linked_at: a.createdAt.toISOString() }] : [],
    ),
  };
}
