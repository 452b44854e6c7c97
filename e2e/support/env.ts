/** The one way a test changes the app's configuration for a while. */
import { resetEnvCache } from "@/lib/env";

/** Sets (or, with undefined, removes) env variables for one test; returns a function restoring them. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  };
  apply(vars);
  return () => apply(saved);
}
