// GET /api/dicom/:instanceId - the de-identified DICOM Part 10 bytes of one image, immutable and cacheable.
import { Readable } from "node:stream";
import { resolveServableInstance } from "@/lib/cases/image-access";
import { errorResponse } from "@/lib/http";
import { getStorage } from "@/lib/storage";

type Context = { params: Promise<{ instanceId: string }> };

export async function GET(request: Request, context: Context) {
  const { instanceId } = await context.params;
  const resolved = await resolveServableInstance(instanceId);
  if (!resolved.ok) return errorResponse(resolved.code);
  const { instance } = resolved;
  const etag = `"${instance.sha256}"`;
  // Content-addressed bytes never change, so the browser may keep them; "private" because they need a session.
  const caching = { ETag: etag, "Cache-Control": "private, max-age=31536000, immutable" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: caching });
  const blob = await getStorage().stream(instance.storageKey);
  if (!blob) return errorResponse("not-found");
  return new Response(Readable.toWeb(blob.stream) as ReadableStream, {
    headers: { ...caching, "Content-Type": "application/dicom", "Content-Length": String(blob.size), "X-Content-Type-Options": "nosniff" },
  });
}
