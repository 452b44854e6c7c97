/** Run before the e2e app server starts: a clean e2e database (the server then migrates it). */
import { recreateDatabase } from "./admin-db";
import { E2E_DATABASE } from "./e2e-env";

await recreateDatabase(E2E_DATABASE);
