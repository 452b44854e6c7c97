import { exportFileName, exportStream } from "@/lib/account/export";
import { requireUser } from "@/lib/auth/require-user";
import { preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  return new Response(await exportStream(user.id), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName()}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

export const OPTIONS = preflight;
