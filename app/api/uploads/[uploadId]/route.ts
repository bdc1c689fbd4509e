// GET /api/uploads/:uploadId - the session: files received, per-file results, grouping, processing progress.
// DELETE /api/uploads/:uploadId - cancels the session and removes everything staged for it.
import { authorizeUpload, uploadErrorResponse, uploadsRoot, viewUpload } from "@/lib/uploads/route-support";
import { getStorage } from "@/lib/storage";
import { removeUnreferencedBlobs } from "@/lib/uploads/case-images";
import { cancelUpload } from "@/lib/uploads/staging";

export const runtime = "nodejs";

type Context = { params: Promise<{ uploadId: string }> };

export async function GET(_request: Request, context: Context) {
  try {
    const { uploadId } = await context.params;
    const { db, manifest } = await authorizeUpload(uploadId);
    return Response.json({ upload: await viewUpload(db, manifest) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return uploadErrorResponse(error);
  }
}

export async function DELETE(_request: Request, context: Context) {
  try {
    const { uploadId } = await context.params;
    const { db } = await authorizeUpload(uploadId);
    const storage = getStorage();
    await cancelUpload(uploadsRoot(), uploadId, { releaseBlobs: (keys) => removeUnreferencedBlobs(db, storage, keys) });
    return new Response(null, { status: 204 });
  } catch (error) {
    return uploadErrorResponse(error);
  }
}
