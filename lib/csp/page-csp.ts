/**
 * The proxy step for pages: a fresh nonce per request, in the Content-Security-Policy of both
 * the request passed on (Next reads the nonce from it and puts it on its own scripts; the root
 * layout reads NONCE_HEADER) and the response (the browser enforces it).
 */
import { NextResponse } from "next/server";
import { newNonce, NONCE_HEADER, pageContentSecurityPolicy } from "./security-headers";

export function withPageNonce(request: Request, { dev }: { dev: boolean }): NextResponse {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy({ nonce, dev });
  // Overwrites whatever a client sent under these names.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  headers.set(NONCE_HEADER, nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}
