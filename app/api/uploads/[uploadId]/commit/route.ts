// POST /api/uploads/:uploadId/commit - writes the confirmed series into the case, atomically.
// Body: { acknowledgeBurnedIn?: seriesUid[], excludeSeries?: seriesUid[], seriesDescriptions?: { [seriesUid]: text } }
//   -> { outcome, upload }.
import { z } from "zod";
import { errorResponse } from "@/lib/http";
import { commitUpload } from "@/lib/uploads/commit";
import { authorizeUpload, uploadErrorResponse, uploadsRoot, viewUpload } from "@/lib/uploads/route-support";
import { loadUpload } from "@/lib/uploads/staging";
import { getStorage } from "@/lib/storage";

export const runtime = "nodejs";

type Context = { params: Promise<{ uploadId: string }> };

const uids = z.array(z.string().max(64)).max(20_000);
const bodySchema = z.object({
  acknowledgeBurnedIn: uids.default([]),
  excludeSeries: uids.default([]),
  // Checked in full (length, characters, answer words) by commitUpload; here only bounded.
  seriesDescriptions: z.record(z.string().max(64), z.string().max(200)).default({}),
});

export async function POST(request: Request, context: Context) {
  try {
    const { uploadId } = await context.params;
    const parsed = bodySchema.safeParse(await request.json().catch(() => undefined));
    if (!parsed.success) return errorResponse("bad-request", "Send { acknowledgeBurnedIn, excludeSeries } as lists of series UIDs and seriesDescriptions as { seriesUid: text }.");
    const { user, db } = await authorizeUpload(uploadId);
    const outcome = await commitUpload(db, getStorage(), uploadsRoot(), uploadId, { actorId: user.id, ...parsed.data });
    return Response.json({ outcome, upload: await viewUpload(db, await loadUpload(uploadsRoot(), uploadId)) });
  } catch (error) {
    return uploadErrorResponse(error);
  }
}
