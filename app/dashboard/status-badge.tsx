import type { MicroAgent } from "@/db/schema";
import { STATUS_LABEL, STATUS_STYLE } from "./format";

export function StatusBadge({ status }: { status: MicroAgent["status"] }) {
  return (
    <span data-status={status} className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>
      {STATUS_LABEL[status]}
    </span>
  );
}
