import type { ImagePoint, Measurement } from "./types";

/** Pixel spacing of an image in mm: column spacing is along x, row spacing along y. */
export type Spacing = { column: number; row: number } | null;

/** Length of a segment in mm when spacing is known, else in pixels. */
export function measureLength(a: ImagePoint, b: ImagePoint, spacing: Spacing): { value: number; unit: "mm" | "px" } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  if (!spacing) return { value: Math.hypot(dx, dy), unit: "px" };
  return { value: Math.hypot(dx * spacing.column, dy * spacing.row), unit: "mm" };
}

/** Angle at `vertex` between the rays to `a` and `b`, in degrees (0-180), in physical space. */
export function measureAngle(a: ImagePoint, vertex: ImagePoint, b: ImagePoint, spacing: Spacing): number {
  const sx = spacing?.column ?? 1;
  const sy = spacing?.row ?? 1;
  const u = [(a[0] - vertex[0]) * sx, (a[1] - vertex[1]) * sy] as const;
  const v = [(b[0] - vertex[0]) * sx, (b[1] - vertex[1]) * sy] as const;
  const lu = Math.hypot(u[0], u[1]);
  const lv = Math.hypot(v[0], v[1]);
  if (lu === 0 || lv === 0) return 0;
  const cos = Math.max(-1, Math.min(1, (u[0] * v[0] + u[1] * v[1]) / (lu * lv)));
  return (Math.acos(cos) * 180) / Math.PI;
}

export type RoiStats = {
  mean: number;
  sd: number;
  min: number;
  max: number;
  count: number;
  area: number;
  areaUnit: "mm²" | "px²";
};

/**
 * Statistics of the rescaled values (HU on CT) inside an ellipse given in image coordinates.
 * A pixel belongs to the ellipse when its centre (x+0.5, y+0.5) does; area is the analytic
 * ellipse area in mm² when spacing is known. SD is the population standard deviation.
 */
export function ellipseStats(
  pixels: ArrayLike<number>,
  columns: number,
  rows: number,
  center: ImagePoint,
  radius: ImagePoint,
  rescale: { slope: number; intercept: number },
  spacing: Spacing,
): RoiStats {
  const rx = Math.abs(radius[0]);
  const ry = Math.abs(radius[1]);
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  if (rx > 0 && ry > 0) {
    const x0 = Math.max(0, Math.floor(center[0] - rx));
    const x1 = Math.min(columns - 1, Math.ceil(center[0] + rx));
    const y0 = Math.max(0, Math.floor(center[1] - ry));
    const y1 = Math.min(rows - 1, Math.ceil(center[1] + ry));
    for (let y = y0; y <= y1; y++) {
      const ny = (y + 0.5 - center[1]) / ry;
      for (let x = x0; x <= x1; x++) {
        const nx = (x + 0.5 - center[0]) / rx;
        if (nx * nx + ny * ny > 1) continue;
        const v = (pixels[y * columns + x] as number) * rescale.slope + rescale.intercept;
        sum += v;
        sumSq += v * v;
        count++;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  const mean = count ? sum / count : 0;
  const variance = count ? Math.max(0, sumSq / count - mean * mean) : 0;
  const areaPx = Math.PI * rx * ry;
  return {
    mean,
    sd: Math.sqrt(variance),
    min: count ? min : 0,
    max: count ? max : 0,
    count,
    area: spacing ? areaPx * spacing.column * spacing.row : areaPx,
    areaUnit: spacing ? "mm²" : "px²",
  };
}

/** Measurements drawn on one image. */
export function measurementsOn(all: readonly Measurement[], seriesId: string, instanceId: string, frame: number): Measurement[] {
  return all.filter((m) => m.seriesId === seriesId && m.instanceId === instanceId && m.frame === frame);
}

/** Draggable handles of a measurement: end points, or an ellipse's centre and corner. */
export function measurementHandles(m: Measurement): ImagePoint[] {
  if (m.type === "ellipse") return [m.center, [m.center[0] + m.radius[0], m.center[1] + m.radius[1]]];
  return [...m.points];
}

/**
 * The measurement with handle `index` moved to `to`. Moving an ellipse's centre moves the whole
 * ellipse; moving its corner resizes it.
 */
export function moveHandle(m: Measurement, index: number, to: ImagePoint): Measurement {
  if (m.type === "ellipse") {
    if (index === 0) return { ...m, center: to };
    return { ...m, radius: [Math.max(0.5, Math.abs(to[0] - m.center[0])), Math.max(0.5, Math.abs(to[1] - m.center[1]))] };
  }
  if (m.type === "length") {
    const points: [ImagePoint, ImagePoint] = [m.points[0], m.points[1]];
    points[index === 0 ? 0 : 1] = to;
    return { ...m, points };
  }
  const points: [ImagePoint, ImagePoint, ImagePoint] = [m.points[0], m.points[1], m.points[2]];
  points[Math.max(0, Math.min(2, index)) as 0 | 1 | 2] = to;
  return { ...m, points };
}
