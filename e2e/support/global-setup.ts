/** Vitest global setup: one migrated template database that each test file clones. */
import pg from "pg";
import { migrateServer } from "@/db/migrate";
import { newTemplateName, TEST_DATABASE_URL, withDatabase } from "./test-database-url";

async function dropTemplate(name: string) {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

export default async function setup() {
  const TEMPLATE_DATABASE = newTemplateName();
  process.env.TEST_TEMPLATE_DATABASE = TEMPLATE_DATABASE;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`);
    await admin.query(`create database "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await migrateServer(withDatabase(TEST_DATABASE_URL, TEMPLATE_DATABASE), "pg");
  return () => dropTemplate(TEMPLATE_DATABASE);
}
