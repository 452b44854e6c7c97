/** A JSON Schema rendered for people: field tables, unions as alternatives, references as links. */
import type { ReactNode } from "react";
import { InlineText } from "./inline-text";

export type Schema = { [key: string]: unknown };
type Components = Record<string, Schema>;

const MAX_DEPTH = 3;

export const refName = (ref: string) => ref.split("/").pop() ?? ref;
export const schemaAnchor = (name: string) => `schema-${name}`;

function RefLink({ name }: { name: string }) {
  return (
    <a href={`#${schemaAnchor(name)}`} className="font-mono text-[var(--accent)] underline underline-offset-2">
      {name}
    </a>
  );
}

const asSchema = (v: unknown): Schema | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Schema) : undefined;
const variantsOf = (s: Schema): Schema[] | undefined =>
  (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as Schema[] | undefined;
const isNull = (s: Schema) => s.type === "null";

/** `X | null` unions are shown as X, marked nullable. */
function unwrapNullable(s: Schema): { schema: Schema; nullable: boolean } {
  const variants = variantsOf(s);
  if (variants && variants.length === 2 && variants.some(isNull)) {
    const inner = variants.find((v) => !isNull(v)) ?? {};
    return { schema: unwrapNullable(inner).schema, nullable: true };
  }
  return { schema: s, nullable: false };
}

/** A one-line type: `string (uuid)`, `"healthy"`, `FactView[]`, `string | number`. */
export function TypeLabel({ schema }: { schema: Schema }): ReactNode {
  const { schema: s, nullable } = unwrapNullable(schema);
  const suffix = nullable ? <span className="text-[var(--muted)]"> | null</span> : null;
  let label: ReactNode;
  if (typeof s.$ref === "string") label = <RefLink name={refName(s.$ref)} />;
  else if (s.const !== undefined) label = <code className="font-mono">{JSON.stringify(s.const)}</code>;
  else if (Array.isArray(s.enum))
    label = <code className="font-mono">{s.enum.map((v) => JSON.stringify(v)).join(" | ")}</code>;
  else if (s.type === "array") {
    const items = asSchema(s.items);
    label = items ? (
      <>
        <TypeLabel schema={items} />
        <span className="font-mono">[]</span>
      </>
    ) : (
      "array"
    );
  } else if (variantsOf(s)?.every((v) => !v.$ref && v.type === "object")) {
    label = <span className="font-mono">object (one of {variantsOf(s)?.length} shapes)</span>;
  } else if (variantsOf(s)) {
    const variants = variantsOf(s) ?? [];
    label = variants.map((v, i) => (
      <span key={i}>
        {i > 0 ? <span className="text-[var(--muted)]"> | </span> : null}
        <TypeLabel schema={v} />
      </span>
    ));
  } else if (typeof s.type === "string") {
    const format =
      typeof s.format === "string" ? s.format : typeof s.contentEncoding === "string" ? s.contentEncoding : undefined;
    label = (
      <span className="font-mono">
        {s.type === "object" && !s.properties && s.additionalProperties ? "map" : s.type}
        {format ? <span className="text-[var(--muted)]"> ({format})</span> : null}
      </span>
    );
  } else if (Array.isArray(s.type)) label = <span className="font-mono">{s.type.join(" | ")}</span>;
  else label = <span className="font-mono text-[var(--muted)]">any JSON</span>;
  return (
    <>
      {label}
      {suffix}
    </>
  );
}

/** Limits worth telling a client: lengths, ranges, patterns, defaults. */
function constraints(s: Schema): string[] {
  const out: string[] = [];
  const { schema } = unwrapNullable(s);
  const n = (k: string) => (typeof schema[k] === "number" ? (schema[k] as number) : undefined);
  if (n("minLength") !== undefined && n("maxLength") !== undefined)
    out.push(`${n("minLength")}–${n("maxLength")} chars`);
  else if (n("maxLength") !== undefined) out.push(`≤ ${n("maxLength")} chars`);
  else if (n("minLength") !== undefined) out.push(`≥ ${n("minLength")} chars`);
  if (n("minimum") !== undefined && (n("maximum") ?? 0) < Number.MAX_SAFE_INTEGER) {
    out.push(n("maximum") !== undefined ? `${n("minimum")}–${n("maximum")}` : `≥ ${n("minimum")}`);
  }
  if (typeof schema.pattern === "string") out.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  const example = Array.isArray(schema.examples) ? schema.examples[0] : undefined;
  if (example !== undefined) out.push(`e.g. ${JSON.stringify(example)}`);
  return out;
}

function expandable(s: Schema, components: Components): Schema | undefined {
  const { schema } = unwrapNullable(s);
  if (schema.$ref) return undefined; // linked, not repeated
  if (schema.type === "object" && asSchema(schema.properties) && Object.keys(schema.properties as Schema).length > 0)
    return schema;
  if (schema.type === "array") {
    const items = asSchema(schema.items);
    return items ? expandable(items, components) : undefined;
  }
  const variants = variantsOf(schema);
  if (variants?.some((v) => !v.$ref && v.type === "object")) return schema;
  return undefined;
}

function Fields({ schema, components, depth }: { schema: Schema; components: Components; depth: number }) {
  const properties = asSchema(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return (
    <ul className="divide-y divide-[var(--border)] rounded-md border border-[var(--border)]">
      {Object.entries(properties).map(([name, raw]) => {
        const field = asSchema(raw) ?? {};
        const nested = depth < MAX_DEPTH ? expandable(field, components) : undefined;
        const description = typeof field.description === "string" ? field.description : undefined;
        const limits = constraints(field);
        return (
          <li key={name} className="px-3 py-2 text-sm">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-mono font-semibold">{name}</span>
              <span className="text-xs">
                <TypeLabel schema={field} />
              </span>
              {required.has(name) ? (
                <span className="text-xs font-medium text-rose-600 dark:text-rose-400">required</span>
              ) : (
                <span className="text-xs text-[var(--muted)]">optional</span>
              )}
            </div>
            {description ? (
              <p className="mt-0.5 text-[var(--muted)]">
                <InlineText text={description} />
              </p>
            ) : null}
            {limits.length > 0 ? (
              <p className="mt-0.5 break-all font-mono text-xs text-[var(--muted)]">{limits.join(" · ")}</p>
            ) : null}
            {nested ? (
              <div className="mt-2 pl-3">
                <SchemaBody schema={nested} components={components} depth={depth + 1} />
              </div>
            ) : null}
          </li>
        );
      })}
      {schema.additionalProperties &&
      typeof schema.additionalProperties === "object" &&
      Object.keys(properties).length > 0 ? (
        <li className="px-3 py-2 text-xs text-[var(--muted)]">Other properties are allowed.</li>
      ) : null}
    </ul>
  );
}

/** The body of a schema: its fields, its alternatives, or its one-line type. */
export function SchemaBody({
  schema,
  components,
  depth = 0,
}: {
  schema: Schema;
  components: Components;
  depth?: number;
}): ReactNode {
  const { schema: s } = unwrapNullable(schema);
  const variants = variantsOf(s);
  if (variants && variants.every((v) => typeof v.$ref === "string")) {
    // Named alternatives: a compact list of links, each schema rendered once below.
    return (
      <div className="text-sm">
        <span className="mr-2 text-xs font-medium uppercase tracking-wide text-[var(--muted)]">One of</span>
        {variants.map((v, i) => (
          <span key={i} className="mr-2 inline-block">
            <TypeLabel schema={v} />
            {i < variants.length - 1 ? <span className="text-[var(--muted)]">,</span> : null}
          </span>
        ))}
      </div>
    );
  }
  if (variants) {
    return (
      <div className="space-y-2">
        <p className="text-xs font-medium uppercase tracking-wide text-[var(--muted)]">One of</p>
        <ul className="space-y-2">
          {variants.map((v, i) => (
            <li key={i} className="rounded-md border border-dashed border-[var(--border)] p-2 text-sm">
              {v.$ref || !expandable(v, components) || depth >= MAX_DEPTH ? (
                <TypeLabel schema={v} />
              ) : (
                <SchemaBody schema={v} components={components} depth={depth + 1} />
              )}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (s.type === "object" && asSchema(s.properties) && Object.keys(s.properties as Schema).length > 0) {
    return <Fields schema={s} components={components} depth={depth} />;
  }
  if (s.type === "array") {
    const items = asSchema(s.items);
    return (
      <div className="space-y-2 text-sm">
        <p>
          Array of <TypeLabel schema={items ?? {}} />
        </p>
        {items && expandable(items, components) && depth < MAX_DEPTH ? (
          <SchemaBody schema={items} components={components} depth={depth + 1} />
        ) : null}
      </div>
    );
  }
  const description = typeof s.description === "string" && depth > 0 ? s.description : undefined;
  return (
    <p className="text-sm">
      <TypeLabel schema={s} />
      {description ? (
        <span className="text-[var(--muted)]">
          {" "}
          — <InlineText text={description} />
        </span>
      ) : null}
    </p>
  );
}

/** A schema as used by an operation: a named component is linked and shown one level deep. */
export function SchemaView({ schema, components }: { schema: Schema; components: Components }) {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    const target = components[name];
    return (
      <div className="space-y-2">
        <p className="text-sm">
          Schema <RefLink name={name} />
        </p>
        {target ? <SchemaBody schema={target} components={components} /> : null}
      </div>
    );
  }
  const description = typeof schema.description === "string" ? schema.description : undefined;
  return (
    <div className="space-y-2">
      {description ? (
        <p className="text-sm text-[var(--muted)]">
          <InlineText text={description} />
        </p>
      ) : null}
      <SchemaBody schema={schema} components={components} />
    </div>
  );
}
