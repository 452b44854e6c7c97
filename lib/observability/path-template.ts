/** Low-cardinality names for paths: backends group spans by name, so ids must not make each unique. */

/** A path segment that names one object (`file-abc123`, `sub_1Px…`, `fact_9f2…`, a UUID) rather than a collection. */
const ID_SEGMENT = /^(?=.*\d)[\w.-]{6,}$/;

// Every traced request and upstream call names its span by its path, and most paths recur
// (`/chatkit`, `/v1/responses`): folding one took a few µs, a lookup well under one.
const folded = new Map<string, string>();
const FOLDED_MAX = 1000;

/** `/v1/files/file-abc123/content?x=1` → `/v1/files/{id}/content`. */
export function pathTemplate(path: string): string {
  let template = folded.get(path);
  if (template === undefined) {
    if (folded.size >= FOLDED_MAX) folded.clear(); // paths full of ids: start over
    template = fold(path);
    folded.set(path, template);
  }
  return template;
}

function fold(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? "{id}" : segment))
    .join("/")
    .slice(0, 200);
}
