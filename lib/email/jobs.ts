/** The email queue as a job kind (lib/jobs): delivers due emails through the configured transport. */
import "server-only";
import type { Database } from "@/db/types";
import { configuredTransport } from "./transport";
import { drainEmailQueue } from "./worker";

export const emailJobs = {
  name: "email",
  async runDue(db: Database, deadline: number) {
    const transport = configuredTransport();
    try {
      const r = await drainEmailQueue(db, transport, { deadline });
      return { done: r.sent, retried: r.retried, failed: r.failed };
    } finally {
      transport.close();
    }
  },
};
