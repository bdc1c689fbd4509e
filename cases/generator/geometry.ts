/**
 * Series geometry: how the pixels of each slice map into the study's patient coordinate system
 * (LPS, mm). All series of a case share one frame of reference, so a z in a CT slice is the same
 * z in the MR slices.
 */

export type Orientation = "axial" | "sagittal" | "coronal";

export interface SeriesGeometry {
  orientation: Orientation;
  rows: number;
  cols: number;
  /** mm between pixel centres (square pixels) */
  spacing: number;
  /** world coordinates of the image centre on the two in-plane axes, e.g. [x, y] for axial */
  center: readonly [number, number];
  /** fixed-axis coordinate (z for axial, x for sagittal, y for coronal) of each instance, in order */
  slices: readonly number[];
  sliceThickness: number;
}

/** Where a slice lives: which world axis is fixed, and how columns and rows step through space. */
export interface Plane {
  fixedAxis: 0 | 1 | 2;
  fixedValue: number;
  colAxis: 0 | 1 | 2;
  colOrigin: number;
  colStep: number;
  rowAxis: 0 | 1 | 2;
  rowOrigin: number;
  rowStep: number;
  cols: number;
  rows: number;
}

/** Plane of instance `index` (0-based) of a series. */
export function planeOf(g: SeriesGeometry, index: number, fixedOffset = 0): Plane {
  const fixedValue = (g.slices[index] ?? 0) + fixedOffset;
  const halfC = ((g.cols - 1) / 2) * g.spacing;
  const halfR = ((g.rows - 1) / 2) * g.spacing;
  const [u, v] = g.center;
  switch (g.orientation) {
    case "axial":
      return { fixedAxis: 2, fixedValue, colAxis: 0, colOrigin: u - halfC, colStep: g.spacing, rowAxis: 1, rowOrigin: v - halfR, rowStep: g.spacing, cols: g.cols, rows: g.rows };
    case "sagittal":
      return { fixedAxis: 0, fixedValue, colAxis: 1, colOrigin: u - halfC, colStep: g.spacing, rowAxis: 2, rowOrigin: v + halfR, rowStep: -g.spacing, cols: g.cols, rows: g.rows };
    case "coronal":
      return { fixedAxis: 1, fixedValue, colAxis: 0, colOrigin: u - halfC, colStep: g.spacing, rowAxis: 2, rowOrigin: v + halfR, rowStep: -g.spacing, cols: g.cols, rows: g.rows };
  }
}

/** DICOM ImageOrientationPatient of a series. */
export function orientationOf(g: SeriesGeometry): number[] {
  switch (g.orientation) {
    case "axial":
      return [1, 0, 0, 0, 1, 0];
    case "sagittal":
      return [0, 1, 0, 0, 0, -1];
    case "coronal":
      return [1, 0, 0, 0, 0, -1];
  }
}

/** DICOM ImagePositionPatient (centre of the first transmitted pixel) of one instance. */
export function positionOf(g: SeriesGeometry, index: number): [number, number, number] {
  const p = planeOf(g, index);
  const out: [number, number, number] = [0, 0, 0];
  out[p.fixedAxis] = p.fixedValue;
  out[p.colAxis] = p.colOrigin;
  out[p.rowAxis] = p.rowOrigin;
  return out;
}

/** Pixel [column, row] of a world point projected on the slices of a series (rounded). */
export function worldToPixel(g: SeriesGeometry, point: readonly [number, number, number]): [number, number] {
  const p = planeOf(g, 0);
  return [Math.round((point[p.colAxis] - p.colOrigin) / p.colStep), Math.round((point[p.rowAxis] - p.rowOrigin) / p.rowStep)];
}

/** 0-based index of the slice nearest to a world point. */
export function nearestSlice(g: SeriesGeometry, point: readonly [number, number, number]): number {
  const axis = planeOf(g, 0).fixedAxis;
  let best = 0;
  let bestD = Infinity;
  g.slices.forEach((s, i) => {
    const d = Math.abs(s - point[axis]);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Evenly spaced slice positions from `first` stepping by `step` (negative steps run head to feet). */
export function sliceRange(first: number, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((first + i * step) * 1000) / 1000);
}
