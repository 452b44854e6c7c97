/** Vitest global setup: one migrated template database that each test file clones. */
import { migrateServer } from "@/db/migrate";
import { dropDatabase, recreateDatabase } from "./admin-db";
import { newTemplateName, TEST_DATABASE_URL, withDatabase } from "./test-database-url";

export default async function setup() {
  const template = newTemplateName();
  process.env.TEST_TEMPLATE_DATABASE = template;
  await recreateDatabase(template);
  await migrateServer(withDatabase(TEST_DATABASE_URL, template), "pg");
  return () => dropDatabase(template);
}
