import type { SliceGeometry, Vec3 } from "./geometry";
import { buildImageId } from "./image-id";
import type { ViewerInstance, ViewerSeries } from "./types";

/** One displayable image of a series: an instance, or one frame of a multi-frame instance. */
export type StackEntry = { imageId: string; instance: ViewerInstance; frame: number; geometry: SliceGeometry };

/** Flattens a series into the scrollable stack, in the server's order, frames in order. */
export function buildStack(series: ViewerSeries): StackEntry[] {
  const stack: StackEntry[] = [];
  for (const instance of series.instances) {
    const frames = Math.max(1, instance.frames);
    for (let frame = 0; frame < frames; frame++) {
      stack.push({
        imageId: buildImageId(instance.url, frame),
        instance,
        frame,
        // Per-frame positions live in functional groups the contract does not carry: only frame 0 has one.
        geometry: { position: frame === 0 ? (instance.position as Vec3 | null) : null, orientation: instance.orientation },
      });
    }
  }
  return stack;
}

/** Index of the stack entry showing this instance (and frame), or -1. */
export function findStackIndex(stack: readonly StackEntry[], instanceId: string, frame = 0): number {
  return stack.findIndex((e) => e.instance.id === instanceId && e.frame === frame);
}

/**
 * The image the first viewport opens with: the first series at its first key image, else its middle image
 * (the same choice ViewerApp makes for viewport 0), or undefined when there are no images.
 */
export function firstStackEntry(series: readonly ViewerSeries[], keyImages: readonly { seriesId: string; instanceId: string }[] = []): StackEntry | undefined {
  const first = series[0];
  if (!first) return undefined;
  const stack = buildStack(first);
  return stack[openingIndex(stack, first.id, keyImages)];
}

/** Where a series opens when nothing else decides: at its first key image, else at its middle image. */
export function openingIndex(stack: readonly StackEntry[], seriesId: string, keyImages: readonly { seriesId: string; instanceId: string }[]): number {
  const key = keyImages.find((k) => k.seriesId === seriesId);
  const keyIndex = key ? findStackIndex(stack, key.instanceId) : -1;
  return keyIndex >= 0 ? keyIndex : Math.floor((stack.length - 1) / 2);
}
