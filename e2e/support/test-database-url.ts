/** Where tests find PostgreSQL. Test-only code: reads the environment directly on purpose. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const base = new URL(TEST_DATABASE_URL).pathname.slice(1) || "test";
/**
 * One template per vitest run (global setup names it and workers inherit the variable), so
 * concurrent runs on one machine never drop each other's template.
 */
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? `${base}_template`;
export function newTemplateName(): string {
  return `${base}_template_${process.pid}`;
}
