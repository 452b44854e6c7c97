/** Administrative statements on the test PostgreSQL server (create/drop databases). */
import pg from "pg";
import { TEST_DATABASE_URL } from "./test-database-url";

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists "${name}" with (force)`);
}

/** A new, empty database of that name (dropping any old one). */
export async function recreateDatabase(name: string): Promise<void> {
  await dropDatabase(name);
  await adminQuery(`create database "${name}"`);
}
