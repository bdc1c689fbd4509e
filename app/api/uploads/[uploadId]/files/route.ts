// PUT /api/uploads/:uploadId/files?name=<relative path> - streams one file or zip (raw request body) into the
// session (a plain DICOM file of modest size is de-identified as it arrives: only its processed bytes are
// written); 413 as soon as the session passes its byte limit. -> 201 { source }.
import { authorizeUpload, getUidSalt, uploadErrorResponse, uploadsRoot } from "@/lib/uploads/route-support";
import { receiveSource } from "@/lib/uploads/staging";

export const runtime = "nodejs";

type Context = { params: Promise<{ uploadId: string }> };

export async function PUT(request: Request, context: Context) {
  try {
    const { uploadId } = await context.params;
    const { db } = await authorizeUpload(uploadId);
    const name = new URL(request.url).searchParams.get("name");
    const length = request.headers.get("content-length");
    const declaredSize = length !== null && /^[0-9]+$/.test(length) ? Number(length) : null;
    const source = await receiveSource(uploadsRoot(), uploadId, { name: name ?? "", body: request.body, declaredSize }, undefined, { uidSalt: await getUidSalt(db) });
    return Response.json({ source: { id: source.id, name: source.name, size: source.size, kind: source.kind } }, { status: 201 });
  } catch (error) {
    return uploadErrorResponse(error);
  }
}
