// POST /api/uploads/:uploadId/process - processes every received file (de-identify, normalise, check,
// group). Answers NDJSON as it goes: {"type":"progress",...} lines, then {"type":"done","upload":...} or
// {"type":"error","error":{code,message}}. Processing finishes even if the client goes away.
import { getCaseImageUids } from "@/lib/uploads/commit";
import { UploadError } from "@/lib/uploads/errors";
import { processUpload } from "@/lib/uploads/process";
import { authorizeUpload, getUidSalt, uploadErrorResponse, uploadsRoot, viewUpload } from "@/lib/uploads/route-support";

export const runtime = "nodejs";

type Context = { params: Promise<{ uploadId: string }> };

export async function POST(_request: Request, context: Context) {
  let prepared;
  try {
    const { uploadId } = await context.params;
    const { db, manifest } = await authorizeUpload(uploadId);
    if (manifest.state !== "open" && manifest.state !== "processing") throw new UploadError("conflict", `This upload is ${manifest.state}.`);
    if (manifest.sources.length === 0) throw new UploadError("bad-request", "Add files before processing.");
    prepared = { uploadId, db, uidSalt: await getUidSalt(db), existing: (await getCaseImageUids(db, manifest.caseId)).sopInstanceUids };
  } catch (error) {
    return uploadErrorResponse(error);
  }
  const { uploadId, db, uidSalt, existing } = prepared;
  const encoder = new TextEncoder();
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (line: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        } catch {
          open = false;
        }
      };
      let last = 0;
      processUpload(uploadsRoot(), uploadId, {
        uidSalt,
        existingSopInstanceUids: existing,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - last < 150 && progress.bytesDone < progress.bytesTotal) return;
          last = now;
          send({ type: "progress", ...progress });
        },
      })
        .then(async (manifest) => send({ type: "done", upload: await viewUpload(db, manifest) }))
        .catch((error: unknown) => {
          if (!(error instanceof UploadError)) console.error("upload processing failed", error);
          const known = error instanceof UploadError;
          send({ type: "error", error: { code: known ? error.code : "internal", message: known ? error.message : "Processing failed on our side." } });
        })
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
}
