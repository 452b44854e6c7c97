/**
 * The reference must describe every route the app serves: walks app/ for route handlers,
 * imports each, and compares its exported methods and path with the OpenAPI document.
 * OPTIONS (CORS preflight) is covered once, in the document's introduction. The same registry
 * tells proxy.ts which methods to answer with 405, so the two must agree exactly.
 */
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REFUSES_METHOD } from "@/lib/http/method-guard";
import { allowedMethods } from "./allowed-methods";
import { openApiDocument } from "./document";
import { NEXT_AUTH_PREFIX, UNDOCUMENTED_ROUTES } from "./operations";

const APP = join(process.cwd(), "app");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** `app/(group)/facts/[factId]/save/route.ts` → `/facts/{}/save`; a catch-all keeps its prefix and a `*`. */
function routePath(file: string): string {
  const segments = relative(APP, file).split(sep).slice(0, -1);
  const path = segments
    .filter((s) => !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@"))
    .map((s) => (s.startsWith("[...") || s.startsWith("[[...") ? "*" : s.startsWith("[") ? "{}" : s))
    .join("/");
  return `/${path}`;
}

const normalise = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

const documented = Object.entries(openApiDocument().paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({
    method: method.toUpperCase(),
    path: normalise(path),
    nextAuth: (op as Record<string, unknown>)["x-handled-by"] === "next-auth",
  })),
);

describe("routes and the API reference", async () => {
  const files = routeFiles(APP);
  const internal = (path: string) => Object.keys(UNDOCUMENTED_ROUTES).some((prefix) => path.startsWith(prefix));
  const all = await Promise.all(
    files.map(async (file) => {
      const mod = (await import(file)) as Record<string, unknown>;
      return {
        file: relative(process.cwd(), file),
        path: routePath(file),
        // A handler that only answers the JSON 405 (a path the proxy skips) serves nothing.
        methods: HTTP_METHODS.filter(
          (m) => typeof mod[m] === "function" && !(mod[m] as unknown as Record<symbol, unknown>)[REFUSES_METHOD],
        ),
      };
    }),
  );
  const routes = all.filter((r) => !internal(r.path));

  it("finds the app's route handlers", () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.map((r) => r.path)).toContain("/facts/{}/save");
  });

  it("documents every method of every route file", () => {
    const staticPaths = new Set(routes.filter((r) => !r.path.includes("*")).map((r) => r.path));
    const missing: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        if (route.path.endsWith("/*")) {
          // A catch-all: some documented operation must be served by it (under its prefix, not a static route).
          const prefix = route.path.slice(0, -1);
          const served = documented.some(
            (d) => d.method === method && d.path.startsWith(prefix) && !staticPaths.has(d.path),
          );
          if (!served) missing.push(`${method} ${route.path} (${route.file})`);
        } else if (!documented.some((d) => d.method === method && d.path === route.path)) {
          missing.push(`${method} ${route.path} (${route.file})`);
        }
      }
    }
    expect(missing, "add these to their tag file in lib/openapi/operations/").toEqual([]);
  });

  it("the methods proxy.ts allows on each route file's path are exactly that file's exports (405 for the rest)", () => {
    const differing = routes.flatMap((route) => {
      // A sample request path: any value for a parameter, some unserved name for a catch-all.
      const path = route.path.replace(/\{\}/g, "x1").replace(/\*$/, "not-ours");
      const exported = new Set<string>([...route.methods, "OPTIONS"]);
      if (exported.has("GET")) exported.add("HEAD");
      const expected = [...exported].sort();
      const allowed = allowedMethods(path);
      return JSON.stringify(allowed) === JSON.stringify(expected)
        ? []
        : [`${route.file}: exports ${expected.join(", ")}; proxy allows ${allowed?.join(", ") ?? "anything"}`];
    });
    expect(differing).toEqual([]);
  });

  it("next-auth's catch-all lives where the registry says", () => {
    const catchAll = routes.filter((r) => r.path.endsWith("/*")).map((r) => r.path.slice(0, -1));
    expect(catchAll).toEqual([NEXT_AUTH_PREFIX]);
  });

  it("documents nothing that no route serves", () => {
    const extra = documented.filter((d) => {
      const exact = routes.find((r) => r.path === d.path);
      if (exact) return !exact.methods.includes(d.method as (typeof HTTP_METHODS)[number]);
      const catchAll = routes.find((r) => r.path.endsWith("/*") && d.path.startsWith(r.path.slice(0, -1)));
      return !catchAll || !catchAll.methods.includes(d.method as (typeof HTTP_METHODS)[number]) || !d.nextAuth;
    });
    expect(extra).toEqual([]);
  });
});
