// POST /api/uploads - opens an upload session for a case the caller may edit: { caseId } -> 201 { upload }.
import { z } from "zod";
import { errorResponse } from "@/lib/http";
import { UploadError } from "@/lib/uploads/errors";
import { authorizeCaseUpload, sweepUploads, uploadErrorResponse, uploadsRoot, viewUpload } from "@/lib/uploads/route-support";
import { warmPreparers } from "@/lib/uploads/prepare-pool";
import { createUpload } from "@/lib/uploads/staging";

export const runtime = "nodejs";

const bodySchema = z.object({ caseId: z.string() });

export async function POST(request: Request) {
  try {
    const json: unknown = await request.json().catch(() => undefined);
    const parsed = bodySchema.safeParse(json);
    if (!parsed.success) return errorResponse("bad-request", "Send { caseId }.");
    const { user, db, caseId } = await authorizeCaseUpload(parsed.data.caseId);
    // Stale sessions (older than a day) go at the next upload, with any blobs a crashed commit left.
    await sweepUploads(db).catch((error: unknown) => console.error("upload sweep failed", error));
    const manifest = await createUpload(uploadsRoot(), { caseId, userId: user.id });
    // The de-identification workers load while the browser starts sending files.
    warmPreparers();
    return Response.json({ upload: await viewUpload(db, manifest) }, { status: 201 });
  } catch (error) {
    return uploadErrorResponse(error instanceof SyntaxError ? new UploadError("bad-request", "Send JSON.") : error);
  }
}
