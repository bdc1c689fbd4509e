/** Image ids of the casebook loader: `casebook:<url>` or `casebook:<url>#frame=N`. */

export const IMAGE_ID_SCHEME = "casebook";

export type ParsedImageId = { url: string; frame: number };

/** Builds the image id for frame `frame` of the file at `url`. */
export function buildImageId(url: string, frame = 0): string {
  return frame > 0 ? `${IMAGE_ID_SCHEME}:${url}#frame=${frame}` : `${IMAGE_ID_SCHEME}:${url}`;
}

/** Splits an image id into url and frame index; throws on a foreign scheme or a bad frame. */
export function parseImageId(imageId: string): ParsedImageId {
  const prefix = `${IMAGE_ID_SCHEME}:`;
  if (!imageId.startsWith(prefix)) throw new Error(`Not a ${IMAGE_ID_SCHEME} image id: ${imageId}`);
  const rest = imageId.slice(prefix.length);
  const hash = rest.lastIndexOf("#frame=");
  if (hash < 0) return { url: rest, frame: 0 };
  const frameText = rest.slice(hash + "#frame=".length);
  if (!/^\d+$/.test(frameText)) throw new Error(`Bad frame in image id: ${imageId}`);
  return { url: rest.slice(0, hash), frame: Number(frameText) };
}
