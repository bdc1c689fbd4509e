/**
 * Analytic 3D shapes in patient LPS millimetres (x to the patient's left, y posterior, z head).
 * Each shape answers "is this point inside?" and gives a bounding box so rasterising a plane only
 * visits the pixels that can be inside. Shapes whose cross-section varies along z cache their
 * per-z parameters because rasterisation visits whole rows at one z.
 */

import type { Plane } from "./geometry";

export type Vec3 = readonly [number, number, number];
/** [minX, minY, minZ, maxX, maxY, maxZ] */
export type Box3 = [number, number, number, number, number, number];

export interface Shape {
  readonly bbox: Box3;
  contains(x: number, y: number, z: number): boolean;
  /**
   * Optional fast path: the inclusive column range of row `r` of `plane` that can be inside
   * (`exact` when every pixel of it is inside), or null when the row misses the shape.
   */
  rowSpan?(plane: Plane, r: number): RowSpan | null;
  /** Optional tighter pixel box [c0, c1, r0, r1] for one plane. */
  planeBox?(plane: Plane): [number, number, number, number] | null;
}

export interface RowSpan {
  c0: number;
  c1: number;
  exact: boolean;
  /** when set, the pixels of the span only need this test instead of `contains` */
  test?: (x: number, y: number, z: number) => boolean;
}

/** Cross-section of a z-extruded superellipse at one z. */
export interface Section {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/**
 * A superellipse cross-section swept along z, with centre and radii as functions of z: body
 * outlines, vertebral bodies, canal, cord, aorta, limb compartments. `exponent` 2 is an ellipse,
 * larger values approach a rounded rectangle. `angle` rotates the section about z (radians).
 */
export class SweptSection implements Shape {
  readonly bbox: Box3;
  private lastZ = Number.NaN;
  private cur: Section | null = null;
  private readonly cosA: number;
  private readonly sinA: number;

  constructor(
    private readonly section: (z: number) => Section | null,
    readonly zMin: number,
    readonly zMax: number,
    private readonly exponent = 2,
    angle = 0,
  ) {
    this.cosA = Math.cos(angle);
    this.sinA = Math.sin(angle);
    const box: Box3 = [Infinity, Infinity, zMin, -Infinity, -Infinity, zMax];
    const steps = 96;
    for (let i = 0; i <= steps; i++) {
      const s = section(zMin + ((zMax - zMin) * i) / steps);
      if (!s) continue;
      const r = Math.max(s.rx, s.ry) + 1;
      box[0] = Math.min(box[0], s.cx - r);
      box[1] = Math.min(box[1], s.cy - r);
      box[3] = Math.max(box[3], s.cx + r);
      box[4] = Math.max(box[4], s.cy + r);
    }
    this.bbox = box;
  }

  rowSpan(plane: Plane, r: number): RowSpan | null {
    if (this.sinA !== 0) return { c0: 0, c1: plane.cols - 1, exact: false };
    const rowValue = plane.rowOrigin + r * plane.rowStep;
    const z = plane.rowAxis === 2 ? rowValue : plane.fixedValue;
    if (z < this.zMin || z > this.zMax) return null;
    if (z !== this.lastZ) {
      this.lastZ = z;
      this.cur = this.section(z);
    }
    const s = this.cur;
    if (!s || s.rx <= 0 || s.ry <= 0) return null;
    // the in-section coordinate that is not along the columns is either the row or the fixed one
    const colIsX = plane.colAxis === 0;
    const other = plane.rowAxis !== 2 ? rowValue : plane.fixedValue;
    const w = colIsX ? (other - s.cy) / s.ry : (other - s.cx) / s.rx;
    const aw = Math.abs(w);
    if (aw > 1) return null;
    const rem = this.exponent === 2 ? 1 - w * w : 1 - Math.pow(aw, this.exponent);
    const half = (this.exponent === 2 ? Math.sqrt(rem) : Math.pow(rem, 1 / this.exponent)) * (colIsX ? s.rx : s.ry);
    const centre = colIsX ? s.cx : s.cy;
    let a = (centre - half - plane.colOrigin) / plane.colStep;
    let b = (centre + half - plane.colOrigin) / plane.colStep;
    if (a > b) [a, b] = [b, a];
    return { c0: Math.max(0, Math.ceil(a)), c1: Math.min(plane.cols - 1, Math.floor(b)), exact: true };
  }

  contains(x: number, y: number, z: number): boolean {
    if (z < this.zMin || z > this.zMax) return false;
    if (z !== this.lastZ) {
      this.lastZ = z;
      this.cur = this.section(z);
    }
    const s = this.cur;
    if (!s || s.rx <= 0 || s.ry <= 0) return false;
    const dx0 = x - s.cx;
    const dy0 = y - s.cy;
    const dx = (dx0 * this.cosA + dy0 * this.sinA) / s.rx;
    const dy = (-dx0 * this.sinA + dy0 * this.cosA) / s.ry;
    if (this.exponent === 2) return dx * dx + dy * dy <= 1;
    return Math.pow(Math.abs(dx), this.exponent) + Math.pow(Math.abs(dy), this.exponent) <= 1;
  }
}

/** Convenience: a straight superellipse tube with constant section. */
export function tube(cx: number, cy: number, rx: number, ry: number, zMin: number, zMax: number, exponent = 2, angle = 0): SweptSection {
  const s = { cx, cy, rx, ry };
  return new SweptSection(() => s, zMin, zMax, exponent, angle);
}

/**
 * Ellipsoid with optional lobulation: the surface radius is modulated by a few smooth angular
 * harmonics (amplitude `lobes`), which reads as the smooth lobulated contour of a real mass.
 */
export class Blob implements Shape {
  readonly bbox: Box3;
  private readonly cosA: number;
  private readonly sinA: number;
  private readonly harmonics: readonly (readonly [number, number, number, number])[];

  constructor(
    readonly center: Vec3,
    readonly radii: Vec3,
    private readonly lobes = 0,
    seed = 1,
    angle = 0,
  ) {
    this.cosA = Math.cos(angle);
    this.sinA = Math.sin(angle);
    const r = Math.max(radii[0], radii[1]) * (1 + lobes) + 1;
    this.bbox = [center[0] - r, center[1] - r, center[2] - radii[2] * (1 + lobes) - 1, center[0] + r, center[1] + r, center[2] + radii[2] * (1 + lobes) + 1];
    // deterministic harmonic directions from the seed (no RNG state shared with the images)
    const h: [number, number, number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const a = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453;
      const f = a - Math.floor(a);
      h.push([2 + i + f, 3 - i * 0.7 + f * 2, 2.5 + f * 3, f * 6.283]);
    }
    this.harmonics = h;
  }

  contains(x: number, y: number, z: number): boolean {
    const b = this.bbox;
    if (x < b[0] || x > b[3] || y < b[1] || y > b[4] || z < b[2] || z > b[5]) return false;
    const dx0 = x - this.center[0];
    const dy0 = y - this.center[1];
    const dx = (dx0 * this.cosA + dy0 * this.sinA) / this.radii[0];
    const dy = (-dx0 * this.sinA + dy0 * this.cosA) / this.radii[1];
    const dz = (z - this.center[2]) / this.radii[2];
    const d2 = dx * dx + dy * dy + dz * dz;
    if (this.lobes === 0) return d2 <= 1;
    const d = Math.sqrt(d2);
    if (d > 1 + this.lobes) return false;
    if (d < 1 - this.lobes) return true;
    const inv = d > 1e-6 ? 1 / d : 0;
    const ux = dx * inv;
    const uy = dy * inv;
    const uz = dz * inv;
    let m = 0;
    for (const [kx, ky, kz, p] of this.harmonics) m += Math.sin(kx * ux + ky * uy + kz * uz + p);
    return d <= 1 + (this.lobes * m) / 3;
  }
}

/** Tapered capsule: all points within a radius (interpolated r0 -> r1) of the segment a-b. */
export class Capsule implements Shape {
  readonly bbox: Box3;
  private readonly d: Vec3;
  private readonly len2: number;

  constructor(
    readonly a: Vec3,
    readonly b: Vec3,
    readonly r0: number,
    readonly r1 = r0,
  ) {
    const r = Math.max(r0, r1);
    this.bbox = [Math.min(a[0], b[0]) - r, Math.min(a[1], b[1]) - r, Math.min(a[2], b[2]) - r, Math.max(a[0], b[0]) + r, Math.max(a[1], b[1]) + r, Math.max(a[2], b[2]) + r];
    this.d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    this.len2 = Math.max(1e-9, this.d[0] ** 2 + this.d[1] ** 2 + this.d[2] ** 2);
  }

  contains(x: number, y: number, z: number): boolean {
    const b = this.bbox;
    if (x < b[0] || x > b[3] || y < b[1] || y > b[4] || z < b[2] || z > b[5]) return false;
    const px = x - this.a[0];
    const py = y - this.a[1];
    const pz = z - this.a[2];
    let t = (px * this.d[0] + py * this.d[1] + pz * this.d[2]) / this.len2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const qx = px - t * this.d[0];
    const qy = py - t * this.d[1];
    const qz = pz - t * this.d[2];
    const r = this.r0 + (this.r1 - this.r0) * t;
    return qx * qx + qy * qy + qz * qz <= r * r;
  }
}

/** Points of `base` for which `keep` holds (e.g. lung only above the diaphragm). */
export class Clipped implements Shape {
  readonly bbox: Box3;
  constructor(
    private readonly base: Shape,
    private readonly keep: (x: number, y: number, z: number) => boolean,
  ) {
    this.bbox = base.bbox;
  }
  rowSpan(plane: Plane, r: number): RowSpan | null {
    if (!this.base.rowSpan) return { c0: 0, c1: plane.cols - 1, exact: false };
    const span = this.base.rowSpan(plane, r);
    if (!span) return null;
    return span.exact ? { c0: span.c0, c1: span.c1, exact: false, test: this.keep } : { c0: span.c0, c1: span.c1, exact: false };
  }

  contains(x: number, y: number, z: number): boolean {
    return this.base.contains(x, y, z) && this.keep(x, y, z);
  }
}

/** Points of `base` outside all of `holes`. */
export class Difference implements Shape {
  readonly bbox: Box3;
  constructor(
    private readonly base: Shape,
    private readonly holes: readonly Shape[],
  ) {
    this.bbox = base.bbox;
  }
  contains(x: number, y: number, z: number): boolean {
    if (!this.base.contains(x, y, z)) return false;
    for (const h of this.holes) if (h.contains(x, y, z)) return false;
    return true;
  }
}

/**
 * One rib as a band following an elliptical cage contour around (cx, cy): it starts at angle
 * `phi0` from the posterior midline and runs to `phi1` on side `side` (-1 right, +1 left),
 * descending `drop` mm per radian as it goes anteriorly, as real ribs slope down. The section is an
 * ellipse `halfThick` (radial) by `halfHeight` (z). `inset` shrinks the section for marrow.
 */
export class Rib implements Shape {
  readonly bbox: Box3;

  constructor(
    private readonly p: {
      side: -1 | 1;
      cx: number;
      cy: number;
      a: number;
      b: number;
      z0: number;
      phi0: number;
      phi1: number;
      drop: number;
      halfThick: number;
      halfHeight: number;
      /** radius scale near the start, blending from the tubercle towards the cage contour */
      startRadius: number;
      blend: number;
    },
  ) {
    const zLow = p.z0 - p.drop * (p.phi1 - p.phi0) - p.halfHeight - 1;
    const xr = p.a + p.halfThick + 1;
    this.bbox = [p.side < 0 ? p.cx - xr : p.cx - 1, p.cy - p.b - p.halfThick - 1, zLow, p.side < 0 ? p.cx + 1 : p.cx + xr, p.cy + p.b + p.halfThick + 1, p.z0 + p.halfHeight + 1];
  }

  planeBox(plane: Plane): [number, number, number, number] | null {
    if (plane.fixedAxis !== 2) return null;
    const p = this.p;
    const z = plane.fixedValue;
    // angular window where the sloping rib crosses this z
    const u1 = p.phi0 + (p.z0 - z - p.halfHeight) / p.drop;
    const u2 = p.phi0 + (p.z0 - z + p.halfHeight) / p.drop;
    const lo = Math.max(p.phi0, Math.min(u1, u2));
    const hi = Math.min(p.phi1, Math.max(u1, u2));
    if (lo > hi) return [0, -1, 0, -1];
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i <= 12; i++) {
      const phi = lo + ((hi - lo) * i) / 12;
      const sn = Math.sin(phi);
      const cs = Math.cos(phi);
      let rc = 1 / Math.sqrt((sn / p.a) ** 2 + (cs / p.b) ** 2);
      const t = (phi - p.phi0) / p.blend;
      if (t < 1) rc = p.startRadius + (rc - p.startRadius) * (t * (2 - t));
      for (const rr of [rc - p.halfThick - 1, rc + p.halfThick + 1]) {
        const x = p.cx + p.side * sn * rr;
        const y = p.cy + cs * rr;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    const c0 = Math.floor((x0 - 2 - plane.colOrigin) / plane.colStep);
    const c1 = Math.ceil((x1 + 2 - plane.colOrigin) / plane.colStep);
    const r0 = Math.floor((y0 - 2 - plane.rowOrigin) / plane.rowStep);
    const r1 = Math.ceil((y1 + 2 - plane.rowOrigin) / plane.rowStep);
    return [Math.max(0, c0), Math.min(plane.cols - 1, c1), Math.max(0, r0), Math.min(plane.rows - 1, r1)];
  }

  contains(x: number, y: number, z: number): boolean {
    const p = this.p;
    const b = this.bbox;
    if (x < b[0] || x > b[3] || y < b[1] || y > b[4] || z < b[2] || z > b[5]) return false;
    const dx = (x - p.cx) * p.side;
    const dy = y - p.cy;
    const phi = Math.atan2(dx, dy); // 0 posterior midline, pi anterior
    if (phi < p.phi0 || phi > p.phi1) return false;
    const zc = p.z0 - p.drop * (phi - p.phi0);
    const dz = (z - zc) / p.halfHeight;
    if (dz * dz > 1) return false;
    const s = Math.sin(phi);
    const c = Math.cos(phi);
    let rc = 1 / Math.sqrt((s / p.a) ** 2 + (c / p.b) ** 2);
    const t = (phi - p.phi0) / p.blend;
    if (t < 1) rc = p.startRadius + (rc - p.startRadius) * (t * (2 - t));
    const dr = (Math.sqrt(dx * dx + dy * dy) - rc) / p.halfThick;
    return dr * dr + dz * dz <= 1;
  }
}
