import { describe, expect, it } from "vitest";
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from "./components";
import { openApiDocument } from "./document";
import { OPERATIONS } from "./operations";

type Json = Record<string, unknown>;
const doc = openApiDocument();
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function operations(): { method: string; path: string; op: Json }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op: op as Json })),
  );
}

/** Every `$ref` anywhere in the document, with where it was found. */
function refs(node: unknown, at = "#", out: { ref: string; at: string }[] = []): { ref: string; at: string }[] {
  if (Array.isArray(node)) node.forEach((v, i) => refs(v, `${at}/${i}`, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push({ ref: value, at });
      else refs(value, `${at}/${key}`, out);
    }
  }
  return out;
}

function resolve(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document with info, servers, tags and paths", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/[A-Za-z0-9_.\-/{}]*$/);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON, nothing lost in serialisation
  });

  it("documents every operation of the registry under its method and path, with unique operation ids", () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(OPERATIONS.length);
    for (const op of OPERATIONS) expect(doc.paths[op.path]?.[op.method], `${op.method} ${op.path}`).toBeDefined();
  });

  it("resolves every $ref to something that exists", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    const broken = all.filter(({ ref }) => resolve(ref) === undefined);
    expect(broken).toEqual([]);
  });

  it("keeps components self-contained: no standalone $schema/$id and no zod-generated shared defs", () => {
    const names = Object.keys(doc.components.schemas);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(names).not.toContain("__shared");
    for (const schema of Object.values(doc.components.schemas)) {
      expect(schema).not.toHaveProperty("$schema");
      expect(schema).not.toHaveProperty("$id");
    }
    for (const name of [...Object.keys(REQUEST_SCHEMAS), ...Object.keys(RESPONSE_SCHEMAS)])
      expect(names).toContain(name);
  });

  it("gives every operation a summary, a tag that exists, security and at least one answer with a description", () => {
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { method, path, op } of operations()) {
      const where = `${method} ${path}`;
      expect(op.summary, where).toBeTruthy();
      expect(tags.has((op.tags as string[])[0] ?? ""), where).toBe(true);
      expect(Array.isArray(op.security), where).toBe(true);
      const responses = Object.entries(op.responses as Record<string, Json>);
      expect(responses.length, where).toBeGreaterThan(0);
      for (const [status, answer] of responses) {
        expect(status, where).toMatch(/^[1-5]\d\d$/);
        expect(answer.description, `${where} ${status}`).toBeTruthy();
      }
    }
  });

  it("declares every path parameter of the template, and no others", () => {
    for (const { method, path, op } of operations()) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inTemplate);
      for (const p of declared) expect(p.required).toBe(true);
    }
  });

  it("answers every error of our own routes with the Error schema, and has error answers on every one of them", () => {
    for (const { method, path, op } of operations()) {
      if (op["x-handled-by"] === "next-auth") continue;
      const errors = Object.entries(op.responses as Record<string, Json>).filter(([status]) => Number(status) >= 400);
      if (path !== "/api/openapi.json") expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, answer] of errors) {
        if (path === "/health" && status === "503") continue; // the health report itself, by contract
        const media = (answer.content as Record<string, Json> | undefined)?.["application/json"];
        expect(media?.schema, `${method} ${path} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
      }
    }
  });

  it("sends WWW-Authenticate with every 401 and Retry-After with every 429 and 503 of the error contract", () => {
    for (const { method, path, op } of operations()) {
      if (op["x-handled-by"] === "next-auth") continue;
      const responses = op.responses as Record<string, Json>;
      const headers = (status: string) => Object.keys((responses[status]?.headers as Json | undefined) ?? {});
      if (responses["401"]) expect(headers("401"), `${method} ${path}`).toContain("WWW-Authenticate");
      if (responses["429"]) expect(headers("429"), `${method} ${path}`).toContain("Retry-After");
      if (responses["503"] && path !== "/health") expect(headers("503"), `${method} ${path}`).toContain("Retry-After");
    }
  });

  it("requires credentials exactly where the route does: 401 is documented on every secured operation", () => {
    for (const { method, path, op } of operations()) {
      const secured = (op.security as unknown[]).length > 0;
      if (secured) expect(Object.keys(op.responses as Json), `${method} ${path}`).toContain("401");
    }
  });

  it("has examples that the zod schemas they illustrate accept", () => {
    let checked = 0;
    for (const op of OPERATIONS) {
      for (const entry of Object.values(op.requestBody?.content ?? {})) {
        if (typeof entry.schema !== "string" || entry.example === undefined) continue;
        const schema = REQUEST_SCHEMAS[entry.schema as keyof typeof REQUEST_SCHEMAS];
        expect(schema.safeParse(entry.example).success, `${op.operationId} request example`).toBe(true);
        checked++;
      }
      for (const [status, answer] of Object.entries(op.responses)) {
        for (const entry of Object.values(answer.content ?? {})) {
          if (typeof entry.schema !== "string" || entry.example === undefined) continue;
          const schema = RESPONSE_SCHEMAS[entry.schema as keyof typeof RESPONSE_SCHEMAS];
          expect(schema.safeParse(entry.example).success, `${op.operationId} ${status} example`).toBe(true);
          checked++;
        }
        for (const error of answer.errors ?? []) {
          expect(RESPONSE_SCHEMAS.Error.safeParse(error).success, `${op.operationId} ${status} error example`).toBe(
            true,
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("lists every ChatKit request type with how it is answered, and the envelope's discriminator maps each to its schema", () => {
    const chatkit = doc.paths["/chatkit"]?.post as Json;
    const variants = chatkit["x-chatkit-request-types"] as {
      type: string;
      streaming: boolean;
      request: string;
      response: string;
    }[];
    expect(variants).toHaveLength(16);
    for (const v of variants) {
      expect(resolve(v.request), v.type).toBeDefined();
      expect(resolve(v.response), v.type).toBeDefined();
    }
    expect(variants.filter((v) => v.streaming).map((v) => v.type)).toContain("threads.add_user_message");
    const mapping = (doc.components.schemas.ChatKitRequest?.discriminator as { mapping: Record<string, string> })
      .mapping;
    expect(Object.keys(mapping).sort()).toEqual(variants.map((v) => v.type).sort());
    const content = ((chatkit.responses as Json)["200"] as Json).content as Json;
    expect(Object.keys(content).sort()).toEqual(["application/json", "text/event-stream"]);
  });

  it("generates request schemas from the validators' inputs: the session body documents both spellings and the limits", () => {
    const session = doc.components.schemas.SessionRequest as { properties: Record<string, unknown> };
    expect(Object.keys(session.properties)).toEqual(
      expect.arrayContaining(["workflow_id", "workflowId", "workflow_state", "state_variables", "stateVariables"]),
    );
    const signup = doc.components.schemas.SignupRequest as { properties: { password: Json }; required: string[] };
    expect(signup.properties.password).toMatchObject({ minLength: 8, maxLength: 256 });
    expect(signup.required.sort()).toEqual(["email", "password"]);
  });
});
