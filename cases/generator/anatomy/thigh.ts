/**
 * Right thigh (patient right = negative x) at mid-shaft level: skin, subcutaneous fat with the
 * great saphenous vein, fascia lata, the anterior (quadriceps and sartorius), medial (adductors
 * and gracilis) and posterior (hamstrings) muscles packed against each other with thin fat
 * planes between them, femur with a thick cortex, linea aspera and fatty marrow, the superficial
 * femoral artery and vein in the adductor canal, the profunda vessels and the sciatic nerve.
 *
 * The muscles tile the space inside the fascia like real muscle bellies do: each point belongs to
 * the muscle whose (weighted) centre is nearest, and a point almost equidistant from two muscles
 * lies in the fat plane between them. This gives curved, packed outlines instead of separate blobs.
 */
import type { Plane } from "../geometry";
import { Capsule, SweptSection, type Box3, type RowSpan, type Shape } from "../shapes";
import type { Scene } from "../scene";

export const THIGH_Z: readonly [number, number] = [-760, -300];

/** Thigh geometry helpers (centre, radius, subcutaneous thickness along z). */
export class Thigh {
  readonly cx = -95;
  readonly cy = 5;
  /** centre of the deep fascia: the subcutaneous fat is thinner anterolaterally than medially and posteriorly */
  readonly fcx = -97.5;
  readonly fcy = 2.5;
  readonly subcut = 18;
  /** anteroposterior / mediolateral ratio of the thigh section */
  readonly flat = 0.93;
  /** outer radius at z: tapering from the upper to the lower thigh */
  radius(z: number): number {
    return 88 - (-300 - z) * 0.045;
  }
  /** radius of the deep fascia (fascia lata) */
  fasciaRadius(z: number): number {
    return this.radius(z) - this.subcut;
  }
  /** world point on the fascia at angle `a` (0 = lateral, -pi/2 = anterior) and radial offset */
  pointAt(z: number, a: number, offset: number): [number, number, number] {
    const r = this.fasciaRadius(z) + offset;
    return [this.fcx - Math.cos(a) * r, this.fcy + Math.sin(a) * r * this.flat, z];
  }
  /** world point of thigh-relative coordinates (u lateral, v posterior, in fascia radii) */
  at(z: number, u: number, v: number): [number, number, number] {
    const R = this.fasciaRadius(z);
    return [this.fcx - u * R, this.fcy + v * R * this.flat, z];
  }
  /** femoral shaft centre and outer radius at z (the shaft runs slightly medially distally) */
  femur(z: number): { x: number; y: number; r: number } {
    const [x, y] = this.at(z, 0.05 - (-300 - z) * 0.0002, 0.02);
    return { x, y, r: 15.5 };
  }
}

/** A muscle belly: thigh-relative centre (u lateral, v posterior) and weight, at the top and bottom of the thigh. */
interface Belly {
  name: string;
  top: [number, number, number];
  bottom: [number, number, number];
}

// weights grow a muscle's share of the section; top = proximal end (z -300), bottom = distal (z -760)
const BELLIES: readonly Belly[] = [
  { name: "vastus lateralis", top: [0.6, -0.08, 0.22], bottom: [0.6, -0.12, 0.2] },
  { name: "vastus intermedius", top: [0.12, -0.45, 0.12], bottom: [0.12, -0.42, 0.14] },
  { name: "rectus femoris", top: [0.0, -0.8, 0.08], bottom: [0.0, -0.8, 0.02] },
  { name: "vastus medialis", top: [-0.38, -0.52, 0.06], bottom: [-0.42, -0.48, 0.16] },
  { name: "sartorius", top: [-0.62, -0.42, -0.03], bottom: [-0.76, -0.05, -0.02] },
  { name: "adductor longus", top: [-0.5, 0.08, 0.06], bottom: [-0.5, 0.12, -0.1] },
  { name: "adductor magnus", top: [-0.36, 0.48, 0.14], bottom: [-0.4, 0.4, 0.08] },
  { name: "gracilis", top: [-0.86, 0.3, -0.06], bottom: [-0.84, 0.36, -0.04] },
  { name: "semimembranosus", top: [-0.2, 0.8, 0.02], bottom: [-0.24, 0.72, 0.08] },
  { name: "semitendinosus", top: [0.02, 0.9, -0.02], bottom: [-0.06, 0.88, -0.04] },
  { name: "biceps femoris long head", top: [0.34, 0.78, 0.04], bottom: [0.36, 0.72, 0.06] },
  { name: "biceps femoris short head", top: [0.4, 0.44, -0.06], bottom: [0.38, 0.42, 0.0] },
];

/** Muscle tissue of the thigh: every point inside the fascia except the fat planes between bellies. */
class ThighMuscles implements Shape {
  readonly bbox: Box3;
  private readonly outline: SweptSection;
  private lastZ = Number.NaN;
  private seeds: Float64Array = new Float64Array(0);
  private R = 1;
  // per-belly wave directions and phases that make the planes gently undulate
  private readonly waves: [number, number, number][] = BELLIES.map((_, i) => {
    const a = i * 2.39996;
    return [Math.cos(a), Math.sin(a), i * 1.7];
  });

  constructor(
    private readonly th: Thigh,
    /** half-width of the fat plane between two muscles, mm */
    private readonly plane = 1.0,
  ) {
    const [z0, z1] = THIGH_Z;
    const r = th.radius(z1);
    this.bbox = [th.cx - r, th.cy - r, z0, th.cx + r, th.cy + r, z1];
    this.outline = new SweptSection((z) => ({ cx: th.fcx, cy: th.fcy, rx: th.fasciaRadius(z), ry: th.fasciaRadius(z) * th.flat }), z0, z1);
  }

  /** rows only need testing inside the fascia */
  rowSpan(plane: Plane, r: number): RowSpan | null {
    const span = this.outline.rowSpan(plane, r);
    return span ? { c0: span.c0, c1: span.c1, exact: false } : null;
  }

  private update(z: number): void {
    this.lastZ = z;
    const th = this.th;
    const [z0, z1] = THIGH_Z;
    const t = (z1 - z) / (z1 - z0);
    this.R = th.fasciaRadius(z) - 1.5;
    const s = new Float64Array(BELLIES.length * 3);
    BELLIES.forEach((b, i) => {
      const u = b.top[0] + (b.bottom[0] - b.top[0]) * t;
      const v = b.top[1] + (b.bottom[1] - b.top[1]) * t;
      const w = b.top[2] + (b.bottom[2] - b.top[2]) * t;
      const [x, y] = th.at(z, u, v);
      s[i * 3] = x;
      s[i * 3 + 1] = y;
      s[i * 3 + 2] = w * this.R;
    });
    this.seeds = s;
  }

  contains(x: number, y: number, z: number): boolean {
    const [z0, z1] = THIGH_Z;
    if (z < z0 || z > z1) return false;
    if (z !== this.lastZ) this.update(z);
    const th = this.th;
    const dx = (x - th.fcx) / this.R;
    const dy = (y - th.fcy) / (this.R * th.flat);
    if (dx * dx + dy * dy > 1) return false;
    let d1 = Infinity;
    let d2 = Infinity;
    let d3 = Infinity;
    const s = this.seeds;
    for (let i = 0; i < BELLIES.length; i++) {
      const [wx, wy, wp] = this.waves[i] as [number, number, number];
      const ex = x - (s[i * 3] as number);
      const ey = y - (s[i * 3 + 1] as number);
      const d = Math.sqrt(ex * ex + ey * ey) - (s[i * 3 + 2] as number) + 2.6 * Math.sin(0.075 * (x * wx + y * wy) + 0.02 * z + wp);
      if (d < d1) {
        d3 = d2;
        d2 = d1;
        d1 = d;
      } else if (d < d2) {
        d3 = d2;
        d2 = d;
      } else if (d < d3) d3 = d;
    }
    // planes widen into small fat triangles where three muscles meet
    return d2 - d1 > 2 * this.plane * (1 + 2.2 * Math.exp(-(d3 - d1) / 3));
  }
}

/** Paints the thigh into the scene. */
export function addThigh(scene: Scene, th: Thigh): void {
  const [z0, z1] = THIGH_Z;
  const ring = (inset: number) => new SweptSection((z) => ({ cx: th.cx, cy: th.cy, rx: th.radius(z) - inset, ry: (th.radius(z) - inset) * th.flat }), z0, z1);
  const fascia = (inset: number) => new SweptSection((z) => ({ cx: th.fcx, cy: th.fcy, rx: th.fasciaRadius(z) - inset, ry: (th.fasciaRadius(z) - inset) * th.flat }), z0, z1);
  scene.add("skin", ring(0));
  scene.add("fat", ring(2));
  // great saphenous vein in the medial subcutaneous fat, with a small companion branch
  const sub = (u: number, v: number, r: number, depth: number) => new SweptSection((z) => {
    const R = th.radius(z) - depth;
    return { cx: th.cx - u * R, cy: th.cy + v * R * th.flat, rx: r, ry: r * 0.85 };
  }, z0, z1);
  scene.add("blood", sub(-0.97, -0.22, 2.8, 9));
  scene.add("blood", sub(0.35, -0.93, 1.2, 7));
  scene.add("fascia", fascia(0));
  scene.add("fat", fascia(1.5));
  scene.add("muscle", new ThighMuscles(th));
  // neurovascular bundles in their fat: superficial femoral artery and vein under sartorius,
  // profunda femoris vessels beside the linea aspera, sciatic nerve between the hamstrings and
  // adductor magnus
  const nv = (u: number, v: number, rx: number, ry = rx) => new SweptSection((z) => {
    const [cx, cy] = th.at(z, u, v);
    return { cx, cy, rx, ry };
  }, z0, z1);
  scene.add("fat", nv(-0.56, -0.2, 9.5, 8.5));
  scene.add("blood", nv(-0.55, -0.26, 3.4)); // artery
  scene.add("blood", nv(-0.59, -0.13, 4.6, 4)); // vein, posteromedial
  scene.add("fat", nv(-0.17, 0.38, 5.5, 5));
  scene.add("blood", nv(-0.15, 0.36, 2.3), nv(-0.2, 0.42, 2.8));
  scene.add("fat", nv(0.1, 0.6, 8, 6));
  scene.add("nerve", nv(0.1, 0.6, 5.5, 3.6));
  // femur: cortex ~6 mm, linea aspera posteriorly, fatty marrow
  const shaft = (r: number) => new SweptSection((z) => {
    const f = th.femur(z);
    return { cx: f.x, cy: f.y, rx: r, ry: r * 0.97 };
  }, z0, z1);
  scene.add("cortex", shaft(15.5));
  const f0 = th.femur(z1);
  const f1 = th.femur(z0);
  scene.add("cortex", new Capsule([f0.x + 0.5, f0.y + 14.5, z1], [f1.x + 0.5, f1.y + 14.5, z0], 4.2));
  scene.add("yellowMarrow", shaft(9.2));
}
