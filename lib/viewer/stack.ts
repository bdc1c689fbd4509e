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
