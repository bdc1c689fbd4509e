/**
 * Right thigh (patient right = negative x): skin, subcutaneous fat, fascia lata, the anterior,
 * medial and posterior muscle compartments separated by thin fat planes, femur with cortex and
 * fatty marrow, femoral vessels, great saphenous vein and sciatic nerve.
 */
import { SweptSection, type Section } from "../shapes";
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
  const ring = (inset: number, sx = 1, sy = 0.92) => new SweptSection((z) => ({ cx: th.cx, cy: th.cy, rx: (th.radius(z) - inset) * sx, ry: (th.radius(z) - inset) * sy }), z0, z1);
  scene.add("skin", ring(0));
  scene.add("fat", ring(2));
  scene.add("fascia", ring(th.subcut));
  scene.add("fat", ring(th.subcut + 1.2));
  // muscles as ellipses in thigh-relative units; gaps between them read as fat planes
  const m = (ux: number, uy: number, rx: number, ry: number, angle = 0) =>
    new SweptSection((z): Section => {
      const R = th.fasciaRadius(z);
      // ux > 0 is lateral (more negative x for the right thigh), uy > 0 posterior
      return { cx: th.cx - ux * R, cy: th.cy + uy * R * 0.92, rx: rx * R, ry: ry * R * 0.92 };
    }, z0, z1, 2.2, angle);
  scene.add(
    "muscle",
    m(0.48, -0.02, 0.42, 0.5, 0.3), // vastus lateralis
    m(0.02, -0.34, 0.36, 0.24), // vastus intermedius
    m(0.05, -0.72, 0.22, 0.2), // rectus femoris
    m(-0.4, -0.42, 0.3, 0.33, -0.5), // vastus medialis
    m(-0.62, -0.02, 0.14, 0.11), // sartorius
    m(-0.38, 0.36, 0.36, 0.32), // adductor magnus / longus
    m(-0.78, 0.3, 0.12, 0.15), // gracilis
    m(0.26, 0.62, 0.26, 0.24), // biceps femoris
    m(-0.1, 0.68, 0.24, 0.22), // semitendinosus / semimembranosus
  );
  // femur: thick cortex, fatty marrow, slightly posterior and medial of centre
  const femur = (r: number) => new SweptSection((z) => ({ cx: th.cx + 4 + (-300 - z) * 0.03, cy: th.cy + 2, rx: r, ry: r * 0.95 }), z0, z1);
  scene.add("cortex", femur(14));
  scene.add("yellowMarrow", femur(8.5));
  // femoral artery and vein under sartorius, great saphenous vein, sciatic nerve
  const v = (ux: number, uy: number, r: number, outer = 0) => new SweptSection((z) => {
    const R = outer ? th.radius(z) - outer : th.fasciaRadius(z);
    return { cx: th.cx - ux * R, cy: th.cy + uy * R * 0.92, rx: r, ry: r };
  }, z0, z1);
  scene.add("fat", v(-0.5, 0.12, 9));
  scene.add("blood", v(-0.46, 0.1, 3.8), v(-0.54, 0.16, 4.6));
  scene.add("blood", v(-0.92, 0.15, 2.4, 9));
  scene.add("fat", v(0.02, 0.5, 6));
  scene.add("fascia", v(0.02, 0.5, 3.5));
}
