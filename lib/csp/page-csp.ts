/**
 * The proxy step for pages: a fresh nonce per request, in the Content-Security-Policy of both
 * the request passed on (Next reads the nonce from it and puts it on its own scripts; the root
 * layout reads NONCE_HEADER) and the response (the browser enforces it).
 */
import { NextResponse } from "next/server";
import { newNonce, NONCE_HEADER, pageContentSecurityPolicy } from "./security-headers";
import { REQUEST_ID_HEADER } from "@/lib/observability/request-id";

/** `requestId` goes on the request passed on and on the response (see proxy.ts). */
export function withPageNonce(
  request: Request,
  { dev, requestId }: { dev: boolean; requestId?: string },
): NextResponse {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy({ nonce, dev });
  // Overwrites whatever a client sent under these names.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  headers.set(NONCE_HEADER, nonce);
  if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  if (requestId) response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}
