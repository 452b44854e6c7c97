import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentUser, type AuthUser } from "@/lib/auth/require-user";
import { signInUrl } from "@/lib/ui/api";

/** The signed-in user of a dashboard page; anyone else goes to sign-in and comes back. */
export async function signedInUser(returnTo: string): Promise<AuthUser> {
  const user = await currentUser(new Request("http://local/", { headers: await headers() }));
  if (!user) redirect(signInUrl(returnTo));
  return user;
}
