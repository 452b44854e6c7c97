/** Where tests find PostgreSQL. Test-only code: reads the environment directly on purpose. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const TEMPLATE_DATABASE = `${new URL(TEST_DATABASE_URL).pathname.slice(1) || "test"}_template`;
