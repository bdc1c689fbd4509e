// GET /api/instances/:instanceId/blank-preview?rects=x,y,w,h;...&frame=N - a PNG of one frame as it would look with
// those rectangles blanked (without rects: as stored). For editors of the image's case; nothing is written.
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCaseImage } from "@/db/queries/held-images";
import { getInstanceForServing } from "@/db/queries/cases";
import { getDeidSalt } from "@/db/queries/settings";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import { loadEditableCase } from "@/lib/cases/editor";
import { parseBlankRects } from "@/lib/cases/held-images";
import { blankRegions } from "@/lib/dicom/blank-regions";
import { DicomDecodeError } from "@/lib/dicom/codecs/errors";
import { encodePng, renderGray8 } from "@/lib/dicom/render";
import { errorResponse } from "@/lib/http";
import { getStorage } from "@/lib/storage";

type Context = { params: Promise<{ instanceId: string }> };

const querySchema = z.object({
  frame: z.coerce.number().int().min(0).default(0),
  rects: z
    .string()
    .max(2000)
    .regex(/^(\d+,\d+,\d+,\d+)(;\d+,\d+,\d+,\d+)*$/u, "rects is x,y,width,height;... in whole pixels")
    .transform((s) => s.split(";").map((r) => r.split(",").map(Number)).map(([x, y, width, height]) => ({ x, y, width, height })))
    .optional(),
});

export async function GET(request: Request, context: Context) {
  const { instanceId } = await context.params;
  if (!z.uuid().safeParse(instanceId).success) return errorResponse("not-found");
  const user = await getCurrentUser();
  if (!user) return errorResponse("unauthenticated");
  if (!isStaff(user.role)) return errorResponse("not-found");
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return errorResponse("bad-request", query.error.issues.map((i) => i.message).join("; "));
  const db = await getDb();
  const served = await getInstanceForServing(db, instanceId);
  if (!served) return errorResponse("not-found");
  const loaded = await loadEditableCase(db, user, served.case.id);
  if ("reason" in loaded) return errorResponse(loaded.reason === "forbidden" ? "forbidden" : "not-found");
  const image = (await getCaseImage(db, served.case.id, instanceId))!;
  if (query.data.frame >= image.frames) return errorResponse("bad-request", `frame ${query.data.frame} is out of range (the image has ${image.frames})`);
  let rects;
  if (query.data.rects) {
    const parsed = parseBlankRects(query.data.rects, image.columns, image.rows);
    if (!parsed.ok) return errorResponse("bad-request", Object.values(parsed.fieldErrors).flat().join("; "));
    rects = parsed.rects;
  }
  const bytes = await getStorage().read(image.storageKey);
  if (!bytes) return errorResponse("not-found");
  try {
    let dicom = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (rects) dicom = blankRegions(dicom, rects, { uidSalt: await getDeidSalt(db) }).bytes;
    const png = encodePng(renderGray8(dicom, { frame: query.data.frame }));
    return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (error instanceof DicomDecodeError) return errorResponse("bad-request", `This image cannot be previewed: ${error.message}`);
    throw error;
  }
}
