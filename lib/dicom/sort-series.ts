/** Geometry of one image, enough to order a stack. */
export type SliceGeometry = {
  imagePosition: readonly number[] | null;
  imageOrientation: readonly number[] | null;
  instanceNumber: number | null;
};

/** Unit normal of an image plane from ImageOrientationPatient (row x column direction cosines). */
export function sliceNormal(orientation: readonly number[]): [number, number, number] {
  const [r0 = 0, r1 = 0, r2 = 0, c0 = 0, c1 = 0, c2 = 0] = orientation;
  const n: [number, number, number] = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const length = Math.hypot(...n) || 1;
  return [n[0] / length, n[1] / length, n[2] / length];
}

/** Position of a slice along its normal, or undefined without geometry. */
export function slicePosition(g: SliceGeometry): number | undefined {
  if (!g.imagePosition || g.imagePosition.length < 3 || !g.imageOrientation || g.imageOrientation.length < 6) return undefined;
  const n = sliceNormal(g.imageOrientation);
  return n[0] * g.imagePosition[0]! + n[1] * g.imagePosition[1]! + n[2] * g.imagePosition[2]!;
}

/**
 * Orders the images of one series: by position along the slice normal when every image has geometry (highest
 * first, so axial stacks run head to feet and sagittal ones right to left), else by instance number. Ties keep
 * their input order.
 */
export function sortSlices<T extends SliceGeometry>(items: readonly T[]): T[] {
  const positions = items.map(slicePosition);
  const byPosition = positions.every((p) => p !== undefined);
  return items
    .map((item, index) => ({ item, index, key: byPosition ? -positions[index]! : (item.instanceNumber ?? index) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((x) => x.item);
}
