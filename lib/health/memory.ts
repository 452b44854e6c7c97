/**
 * This process's memory, for /health and the metrics: heap in use against the heap's limit,
 * and the resident set. A heap that climbs with traffic and never comes back after quiet
 * spells is a leak (README, "Operating it"); near its limit the process dies at once, taking
 * every stream on it down.
 */
import "server-only";
import { getHeapStatistics } from "node:v8";
import { z } from "zod";

export const memoryReportSchema = z
  .object({
    heap_used_mb: z.number().meta({ description: "JavaScript heap in use, MiB." }),
    heap_limit_mb: z.number().meta({ description: "The heap's limit (--max-old-space-size), MiB." }),
    rss_mb: z.number().meta({ description: "Resident set size of the process, MiB." }),
  })
  .meta({ description: "This instance's memory at the time of the check." });
export type MemoryReport = z.infer<typeof memoryReportSchema>;

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function memoryReport(): MemoryReport {
  const usage = process.memoryUsage();
  return {
    heap_used_mb: mib(usage.heapUsed),
    heap_limit_mb: mib(getHeapStatistics().heap_size_limit),
    rss_mb: mib(usage.rss),
  };
}
