/** Run before the e2e app server starts: a clean e2e database (the server then migrates it). */
import pg from "pg";
import { E2E_DATABASE } from "./e2e-env";
import { TEST_DATABASE_URL } from "./test-database-url";

const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
await admin.connect();
try {
  await admin.query(`drop database if exists "${E2E_DATABASE}" with (force)`);
  await admin.query(`create database "${E2E_DATABASE}"`);
} finally {
  await admin.end();
}
