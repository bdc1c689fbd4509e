import cornerstone from "cornerstone-core";
import { IMAGE_ID_SCHEME } from "./image-id";
import { loadCasebookImage } from "./image-loader";

/** Decoded images kept in memory: about 2,000 512x512 CT slices. */
export const IMAGE_CACHE_BYTES = 512 * 1024 * 1024;

let initialized = false;

/** Registers the casebook image loader and bounds the cache. Safe to call any number of times. */
export function initViewer(): typeof cornerstone {
  if (!initialized) {
    cornerstone.registerImageLoader(IMAGE_ID_SCHEME, loadCasebookImage);
    cornerstone.imageCache.setMaximumSizeBytes(IMAGE_CACHE_BYTES);
    initialized = true;
  }
  return cornerstone;
}

/**
 * Starts loading an image into cornerstone's cache ahead of the viewport that will show it (the case's first
 * image, before the viewer has rendered). A failure is left to that viewport: cornerstone drops failed loads
 * from its cache, so the viewport loads again and shows the reason.
 */
export function warmImage(imageId: string): void {
  initViewer().loadAndCacheImage(imageId, { priority: 0 }).catch(() => undefined);
}
