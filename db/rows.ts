/** The rows of a raw `db.execute(sql…)` answer, whichever driver gave it (`{ rows }` or an array). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows?: T[] }).rows ?? (result as T[]);
}
