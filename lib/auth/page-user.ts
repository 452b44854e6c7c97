/**
 * The one way a page (server component) learns the signed-in user: the page request's own
 * headers go through `currentUser`, the same check `requireUser` makes for route handlers.
 */
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signInUrl } from "@/lib/ui/api";
import { currentUser, type AuthUser } from "./require-user";

/** The signed-in user of the current page request, or null. */
export async function pageUser(): Promise<AuthUser | null> {
  return currentUser({ headers: await headers() });
}

/** The signed-in user of the current page; anyone else is sent to sign-in and brought back to `returnTo`. */
export async function requirePageUser(returnTo: string): Promise<AuthUser> {
  const user = await pageUser();
  if (!user) redirect(signInUrl(returnTo));
  return user;
}
