/**
 * Shared pieces of the thalassemia cases: marrow expansion of ribs and vertebrae, and the
 * bilateral lobulated paravertebral masses built as chains of overlapping blobs along the gutters.
 */
import { Blob, type Vec3 } from "./shapes";
import type { Level, Trunk } from "./anatomy/trunk";
import type { TissueOverrides } from "./tissues";

/** Trunk options for thalassemic marrow expansion: wide ribs, thin cortex, slightly large bodies. */
export const THALASSEMIA_TRUNK = { ribScale: 1.65, vertebraScale: 1.05, cortex: 0.9, spleen: { center: [84, 42, -105] as Vec3, radii: [34, 66, 64] as Vec3 } };

/** Hyperplastic red marrow: coarse trabeculae on CT, low T1 like muscle. */
export const THALASSEMIA_MARROW: TissueOverrides = {
  marrow: { ct: 150, ctPost: 165, ctTex: 120, T1: 0.4, T2: 0.36, STIR: 0.32, T1FS: 0.34, T1FSGD: 0.42, T2FS: 0.32, mrTex: 0.12 },
};

/** One lobule of a paravertebral mass beside a level: centre and radii in world mm. */
export interface Lobule {
  center: Vec3;
  radii: Vec3;
}

/**
 * Lobules along one paravertebral gutter from level `from` to level `to`. `side` -1 is the
 * patient's right. `size` scales the masses.
 */
export function paravertebralLobules(t: Trunk, side: -1 | 1, levels: readonly Level[], size = 1): Lobule[] {
  return levels.map((level, i) => {
    const z = t.levelZ(level) + (i % 2 === 0 ? 3 : -3);
    const [rx, ry] = t.bodyRadii(z);
    const grow = 0.85 + 0.25 * Math.sin((i + 1) * 1.3 + side);
    const r: Vec3 = [15 * size * grow, 21 * size * grow, 17 * size];
    return { center: [side * (rx + r[0] * 0.75), t.bodyY(z) + ry * 0.35, z], radii: r };
  });
}

/** Blob shapes for lobules (lobulated surface). */
export function lobuleBlobs(lobules: readonly Lobule[], seed: number): Blob[] {
  return lobules.map((l, i) => new Blob(l.center, l.radii, 0.07, seed + i * 3, 0));
}
