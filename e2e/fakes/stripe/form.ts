/**
 * Decoding Stripe's form encoding: `line_items[0][price]=p&metadata[k]=v&expand[0]=x` → nested
 * objects, with runs of numeric keys turned into arrays. Values are percent-decoded strings.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function keyPath(name: string): string[] {
  const first = name.indexOf("[");
  if (first === -1) return [name];
  const parts = [name.slice(0, first)];
  for (const m of name.slice(first).matchAll(/\[([^\]]*)\]/g)) parts.push(m[1] ?? "");
  return parts;
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const fixed: FormObject = {};
  for (const k of keys) fixed[k] = arrayify(value[k] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => fixed[k] as FormValue);
  }
  return fixed;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = keyPath(name);
    let node: FormObject = root;
    path.forEach((part, i) => {
      const key = part === "" ? String(Object.keys(node).length) : part;
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== "object" || Array.isArray(next)) node[key] = {};
      node = node[key] as FormObject;
    });
  }
  return arrayify(root) as FormObject;
}

export const str = (v: FormValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
export const obj = (v: FormValue | undefined): FormObject => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
export const list = (v: FormValue | undefined): FormValue[] => (Array.isArray(v) ? v : []);
/** Metadata: string values only; an empty value unsets the key, as at Stripe. */
export function metadataOf(v: FormValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === "string" && val !== "") out[k] = val;
  return out;
}
