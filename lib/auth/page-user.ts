/** For server components: the caller of the current page request, through the same `currentUser`. */
import { cookies } from "next/headers";
import { currentUser, type AuthUser } from "./require-user";

export async function pageUser(): Promise<AuthUser | null> {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return currentUser(new Request("http://page.internal/", { headers: header ? { cookie: header } : {} }));
}
