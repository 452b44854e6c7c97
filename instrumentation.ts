/**
 * Runs once when the server starts (Next.js instrumentation hook). Next compiles this file for
 * both runtimes, so everything Node-only lives in instrumentation-node.ts, imported under the
 * runtime check as Next documents: the Edge compile then never sees `node:http`.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerNode } = await import("./instrumentation-node");
    await registerNode();
  }
}
