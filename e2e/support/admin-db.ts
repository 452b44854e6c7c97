/** Administrative statements on the test PostgreSQL server (create/drop databases). */
import pg from "pg";
import { TEST_DATABASE_URL } from "./test-database-url";

/** Runs one statement on the server at `adminUrl` (default: the test cluster). */
export async function adminQuery(sql: string, adminUrl = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string, adminUrl = TEST_DATABASE_URL): Promise<void> {
  await adminQuery(`drop database if exists "${name}" with (force)`, adminUrl);
}

/** A new, empty database of that name (dropping any old one). */
export async function recreateDatabase(name: string, adminUrl = TEST_DATABASE_URL): Promise<void> {
  await dropDatabase(name, adminUrl);
  await adminQuery(`create database "${name}"`, adminUrl);
}
