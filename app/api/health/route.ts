// GET /api/health - 200 when the app can reach its database (for load balancers).
import { getDb, pingDatabase } from "@/db/client";
import { errorResponse } from "@/lib/http";

export async function GET() {
  try {
    await pingDatabase(await getDb());
    return Response.json({ ok: true });
  } catch {
    return errorResponse("internal", "database unreachable");
  }
}
