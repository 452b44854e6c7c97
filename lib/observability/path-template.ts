/** Low-cardinality names for paths: backends group spans by name, so ids must not make each unique. */

/** A path segment that names one object (`file-abc123`, `sub_1Px…`, `fact_9f2…`, a UUID) rather than a collection. */
const ID_SEGMENT = /^(?=.*\d)[\w.-]{6,}$/;

/** `/v1/files/file-abc123/content?x=1` → `/v1/files/{id}/content`. */
export function pathTemplate(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? "{id}" : segment))
    .join("/")
    .slice(0, 200);
}
