/**
 * The 3D tissue scene of one case: an ordered list of (tissue, shape). Later items paint over
 * earlier ones, so a case is described like a radiologist draws it: body, then organs, then bones,
 * then the lesion. Rasterising a plane gives a label map that every series renders from.
 */
import type { Plane } from "./geometry";
import type { Shape } from "./shapes";
import { TISSUE_ID, type TissueName } from "./tissues";

export interface SceneItem {
  tissue: number;
  shape: Shape;
}

export class Scene {
  readonly items: SceneItem[] = [];

  /** Paints `shape` with `tissue` over everything added before. */
  add(tissue: TissueName, ...shapes: Shape[]): this {
    for (const shape of shapes) this.items.push({ tissue: TISSUE_ID[tissue], shape });
    return this;
  }

  /** Label (tissue id) at one world point, for tests and key-image checks. */
  labelAt(x: number, y: number, z: number): number {
    let label = TISSUE_ID.air;
    for (const item of this.items) if (item.shape.contains(x, y, z)) label = item.tissue;
    return label;
  }

  /** Fills `out` (rows x cols, row-major) with the tissue labels of one plane. */
  rasterize(plane: Plane, out: Uint8Array): void {
    out.fill(TISSUE_ID.air);
    const p = [0, 0, 0];
    p[plane.fixedAxis] = plane.fixedValue;
    const fa = plane.fixedAxis;
    for (const item of this.items) {
      const b = item.shape.bbox;
      if (plane.fixedValue < b[fa]! || plane.fixedValue > b[fa + 3]!) continue;
      let [c0, c1] = indexRange(b[plane.colAxis]!, b[plane.colAxis + 3]!, plane.colOrigin, plane.colStep, plane.cols);
      let [r0, r1] = indexRange(b[plane.rowAxis]!, b[plane.rowAxis + 3]!, plane.rowOrigin, plane.rowStep, plane.rows);
      const shape = item.shape;
      const tissue = item.tissue;
      const box = shape.planeBox?.(plane);
      if (box) {
        c0 = Math.max(c0, box[0]);
        c1 = Math.min(c1, box[1]);
        r0 = Math.max(r0, box[2]);
        r1 = Math.min(r1, box[3]);
      }
      for (let r = r0; r <= r1; r++) {
        p[plane.rowAxis] = plane.rowOrigin + r * plane.rowStep;
        const rowBase = r * plane.cols;
        let a = c0;
        let e = c1;
        let test: ((x: number, y: number, z: number) => boolean) | undefined;
        if (shape.rowSpan) {
          const span = shape.rowSpan(plane, r);
          if (!span) continue;
          a = Math.max(a, span.c0);
          e = Math.min(e, span.c1);
          if (span.exact) {
            if (e >= a) out.fill(tissue, rowBase + a, rowBase + e + 1);
            continue;
          }
          test = span.test;
        }
        if (test) {
          for (let c = a; c <= e; c++) {
            p[plane.colAxis] = plane.colOrigin + c * plane.colStep;
            if (test(p[0] as number, p[1] as number, p[2] as number)) out[rowBase + c] = tissue;
          }
          continue;
        }
        for (let c = a; c <= e; c++) {
          p[plane.colAxis] = plane.colOrigin + c * plane.colStep;
          if (shape.contains(p[0] as number, p[1] as number, p[2] as number)) out[rowBase + c] = tissue;
        }
      }
    }
  }
}

/** Inclusive pixel index range covering world interval [lo, hi] along an axis. */
function indexRange(lo: number, hi: number, origin: number, step: number, n: number): [number, number] {
  let a = (lo - origin) / step;
  let b = (hi - origin) / step;
  if (a > b) [a, b] = [b, a];
  return [Math.max(0, Math.floor(a)), Math.min(n - 1, Math.ceil(b))];
}
