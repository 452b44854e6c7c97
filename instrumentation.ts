/** Runs once when the server starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  // Node only: the Edge runtime has no sockets (and no node:http).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ installSocketAddressHeader }, { installClientErrorAnswers }, http] = await Promise.all([
    import("@/lib/http/client-address"),
    import("@/lib/http/client-errors"),
    import("node:http"),
  ]);
  installSocketAddressHeader(http);
  installClientErrorAnswers(http);
}
