/**
 * Right thigh (patient right = negative x): skin, subcutaneous fat, fascia lata, the anterior,
 * medial and posterior muscle compartments separated by thin fat planes, femur with cortex and
 * fatty marrow, femoral vessels, great saphenous vein and sciatic nerve.
 */
import { Clipped, SweptSection, type Section } from "../shapes";
import type { Scene } from "../scene";

export const THIGH_Z: readonly [number, number] = [-760, -300];

/** Thigh geometry helpers (centre, radius, subcutaneous thickness along z). */
export class Thigh {
  readonly cx = -95;
  readonly cy = 5;
  readonly subcut = 19;
  /** outer radius at z: tapering from the upper to the lower thigh */
  radius(z: number): number {
    return 84 - (-300 - z) * 0.06;
  }
  /** radius of the deep fascia (fascia lata) */
  fasciaRadius(z: number): number {
    return this.radius(z) - this.subcut;
  }
  /** world point on the fascia at angle `a` (0 = lateral, -pi/2 = anterior) and radial offset */
  pointAt(z: number, a: number, offset: number): [number, number, number] {
    const r = this.fasciaRadius(z) + offset;
    return [this.cx - Math.cos(a) * r, this.cy + Math.sin(a) * r, z];
  }
}

/** Paints the thigh into the scene. */
export function addThigh(scene: Scene, th: Thigh): void {
  const [z0, z1] = THIGH_Z;
  const inFascia = (x: number, y: number, z: number) => {
    const R = th.radius(z) - th.subcut - 1.2;
    const dx = (x - th.cx) / R;
    const dy = (y - th.cy) / (R * 0.92);
    return dx * dx + dy * dy <= 1;
  };
  const ring = (inset: number, sx = 1, sy = 0.92) => new SweptSection((z) => ({ cx: th.cx, cy: th.cy, rx: (th.radius(z) - inset) * sx, ry: (th.radius(z) - inset) * sy }), z0, z1);
  scene.add("skin", ring(0));
  scene.add("fat", ring(2));
  scene.add("fascia", ring(th.subcut));
  scene.add("fat", ring(th.subcut + 1.2));
  // muscles as ellipses in thigh-relative units; each is painted with a thin fat rim first so
  // neighbours that overlap it leave a fat plane between them, as intermuscular septa look
  const m = (ux: number, uy: number, rx: number, ry: number, angle: number, rim: number) =>
    new SweptSection((z): Section => {
      const R = th.fasciaRadius(z);
      // ux > 0 is lateral (more negative x for the right thigh), uy > 0 posterior
      return { cx: th.cx - ux * R, cy: th.cy + uy * R * 0.92, rx: rx * R + rim, ry: ry * R * 0.92 + rim };
    }, z0, z1, 2.3, angle);
  const muscles: [number, number, number, number, number][] = [
    [0.5, 0.0, 0.46, 0.56, 0.35], // vastus lateralis
    [-0.4, 0.42, 0.42, 0.4, 0], // adductors
    [0.25, 0.66, 0.34, 0.3, -0.2], // biceps femoris
    [-0.12, 0.7, 0.3, 0.28, 0.2], // semimembranosus / semitendinosus
    [0.02, -0.3, 0.42, 0.3, 0], // vastus intermedius
    [-0.42, -0.42, 0.34, 0.38, -0.5], // vastus medialis
    [0.04, -0.72, 0.26, 0.22, 0], // rectus femoris
    [-0.66, 0.0, 0.15, 0.12, 0.4], // sartorius
    [-0.84, 0.3, 0.13, 0.17, 0], // gracilis
  ];
  for (const [ux, uy, rx, ry, a] of muscles) {
    scene.add("fat", new Clipped(m(ux, uy, rx, ry, a, 0.9), (x, y, z) => inFascia(x, y, z)));
    scene.add("muscle", new Clipped(m(ux, uy, rx, ry, a, 0), (x, y, z) => inFascia(x, y, z)));
  }
  // femoral artery and vein under sartorius (adductor canal), anteromedial to the femur
  const v = (ux: number, uy: number, r: number, outer = 0) => new SweptSection((z) => {
    const R = outer ? th.radius(z) - outer : th.fasciaRadius(z);
    return { cx: th.cx - ux * R, cy: th.cy + uy * R * 0.92, rx: r, ry: r };
  }, z0, z1);
  scene.add("fat", v(-0.58, -0.12, 7.5));
  scene.add("blood", v(-0.55, -0.16, 3.6), v(-0.62, -0.07, 4.4));
  // femur: thick cortex, fatty marrow, slightly posterior and medial of centre
  const femur = (r: number) => new SweptSection((z) => ({ cx: th.cx + 3 + (-300 - z) * 0.01, cy: th.cy + 3, rx: r, ry: r * 0.95 }), z0, z1);
  scene.add("fat", femur(15));
  scene.add("cortex", femur(14));
  scene.add("yellowMarrow", femur(8.5));
  scene.add("blood", v(-0.92, 0.15, 2.4, 9));
  scene.add("fat", v(0.02, 0.5, 6));
  scene.add("fascia", v(0.02, 0.5, 3.5));
}
