// GET /api/instances/:instanceId/preview?size=N - a PNG of the image at its default window (thumbnails, first image).
import { z } from "zod";
import { resolveServableInstance } from "@/lib/cases/image-access";
import { encodePng, renderGray8 } from "@/lib/dicom/render";
import { errorResponse } from "@/lib/http";
import { getStorage } from "@/lib/storage";
import { getOrRenderPreview } from "@/lib/storage/preview-cache";

type Context = { params: Promise<{ instanceId: string }> };

const sizeSchema = z.coerce.number().int().min(32).max(1024).catch(256);

export async function GET(request: Request, context: Context) {
  const { instanceId } = await context.params;
  const size = sizeSchema.parse(new URL(request.url).searchParams.get("size") ?? undefined);
  const resolved = await resolveServableInstance(instanceId);
  if (!resolved.ok) return errorResponse(resolved.code);
  const { instance } = resolved;
  const etag = `"${instance.sha256}-${size}"`;
  const caching = { ETag: etag, "Cache-Control": "private, max-age=31536000, immutable" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: caching });
  const png = await getOrRenderPreview(instance.sha256, size, async () => {
    const bytes = await getStorage().read(instance.storageKey);
    if (!bytes) throw new Error(`missing blob ${instance.storageKey}`);
    return encodePng(renderGray8(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { maxSize: size }));
  });
  return new Response(new Uint8Array(png), { headers: { ...caching, "Content-Type": "image/png" } });
}
