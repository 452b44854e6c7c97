/**
 * The methods each API path answers, read from the operation registry (the one list of paths
 * and methods; ./routes.test.ts holds it equal to the route files' exports). proxy.ts answers
 * any other method with a JSON 405 and an `Allow` header before Next's empty 405.
 *
 * Imported by the proxy on every API request: the registry must stay free of schemas and server
 * code (eslint.config.mjs enforces it for lib/openapi/operations).
 */
import { NEXT_AUTH_PREFIX, OPERATIONS } from "./operations";

type Route = { segments: string[]; methods: Set<string> };

/** Next answers these itself on every route: HEAD wherever GET is, OPTIONS everywhere. */
function withAutomatic(methods: Iterable<string>): string[] {
  const all = new Set(methods);
  if (all.has("GET")) all.add("HEAD");
  all.add("OPTIONS");
  return [...all].sort();
}

const split = (path: string) => path.split("/").filter(Boolean);
const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

function buildRoutes(): { own: Route[]; nextAuthMethods: string[] } {
  const own = new Map<string, Route>();
  const nextAuth = new Set<string>();
  for (const op of OPERATIONS) {
    if (op.external === "next-auth") {
      nextAuth.add(op.method.toUpperCase());
      continue;
    }
    const route = own.get(op.path) ?? { segments: split(op.path), methods: new Set<string>() };
    route.methods.add(op.method.toUpperCase());
    own.set(op.path, route);
  }
  // Static segments win over parameters, as in Next's routing: more static segments first.
  const routes = [...own.values()].sort(
    (a, b) => b.segments.filter((s) => !isParam(s)).length - a.segments.filter((s) => !isParam(s)).length,
  );
  return { own: routes, nextAuthMethods: withAutomatic(nextAuth) };
}

let table: ReturnType<typeof buildRoutes> | undefined;

function matches(route: Route, segments: string[]): boolean {
  return route.segments.length === segments.length && route.segments.every((s, i) => isParam(s) || s === segments[i]);
}

/** The methods `pathname` answers (HEAD and OPTIONS included), or undefined for a path that is no endpoint. */
export function allowedMethods(pathname: string): string[] | undefined {
  table ??= buildRoutes();
  const segments = split(pathname);
  const route = table.own.find((r) => matches(r, segments));
  if (route) return withAutomatic(route.methods);
  if (pathname.startsWith(NEXT_AUTH_PREFIX)) return table.nextAuthMethods;
  return undefined;
}
