// GET /api/cases/:number/export - the case as a bundle zip (cases/README.md), streamed; for its editors only.
// GET /api/cases/:number/export?check - { slug, images } when the case can be exported, else the reason why not.
import { Readable } from "node:stream";
import { getDb } from "@/db/client";
import { getCaseIdByNumber } from "@/db/queries/case-editing";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import { auditCaseExport, ExportError, prepareCaseExport, streamBundleZip } from "@/lib/cases/export-bundle";
import { errorResponse } from "@/lib/http";
import { getStorage } from "@/lib/storage";

export const runtime = "nodejs";

type Context = { params: Promise<{ number: string }> };

export async function GET(request: Request, context: Context) {
  const user = await getCurrentUser();
  if (!user) return errorResponse("unauthenticated");
  if (!isStaff(user.role)) return errorResponse("forbidden", "Only educators and admins export cases.");
  const { number } = await context.params;
  const db = await getDb();
  const caseId = await getCaseIdByNumber(db, number);
  if (!caseId) return errorResponse("not-found", "No such case.");
  const storage = getStorage();
  try {
    const prepared = await prepareCaseExport(db, storage, caseId, user);
    if (new URL(request.url).searchParams.has("check")) return Response.json({ slug: prepared.slug, images: prepared.dicom.length });
    await auditCaseExport(db, user.id, prepared, "web");
    return new Response(Readable.toWeb(streamBundleZip(storage, prepared)) as ReadableStream, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${prepared.slug}.zip"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof ExportError) {
      return errorResponse(error.code === "incomplete" ? "conflict" : error.code, error.message);
    }
    console.error("case export failed", error);
    return errorResponse("internal");
  }
}
