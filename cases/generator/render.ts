/**
 * Turns tissue label maps into pixel values: per-tissue value lookup, tissue structure (texture),
 * partial-volume blur, then acquisition noise (Gaussian for CT, Rician for MR magnitude images).
 */
import { fillGaussian, hash32 } from "./prng";
import { planeOf, type SeriesGeometry } from "./geometry";
import type { Scene } from "./scene";
import type { MrContrast, TissueProps } from "./tissues";

/** What a series shows: CT (unenhanced or portal venous) or one MR contrast. */
export type Contrast = "CT" | "CTPOST" | MrContrast;

/** MR magnitude scale: relative signal 1.0 is stored as this many units. */
export const MR_SCALE = 1400;

export interface RenderOptions {
  contrast: Contrast;
  geometry: SeriesGeometry;
  seedKey: string;
  /** CT noise SD in HU, or MR noise SD as a fraction of MR_SCALE */
  noise: number;
  /** partial-volume blur SD in mm */
  blurMm: number;
}

/**
 * Tissue labels of every slice of a geometry: one plane per slice, or two planes a quarter
 * slice-thickness either side of the slice centre (through-plane partial volume for thick slices).
 */
export interface LabelStack {
  planes: Uint8Array[][];
}

/** Rasterises the scene for every slice (`only`: 0-based indices to keep, others left empty). */
export function rasterizeSeries(scene: Scene, g: SeriesGeometry, samples: 1 | 2, only?: ReadonlySet<number>): LabelStack {
  const n = g.rows * g.cols;
  const planes: Uint8Array[][] = [];
  for (let s = 0; s < g.slices.length; s++) {
    if (only && !only.has(s)) {
      planes.push([]);
      continue;
    }
    const offsets = samples === 1 ? [0] : [-g.sliceThickness / 4, g.sliceThickness / 4];
    planes.push(offsets.map((off) => {
      const labels = new Uint8Array(n);
      scene.rasterize(planeOf(g, s, off), labels);
      return labels;
    }));
  }
  return { planes };
}

/** Reusable per-size buffers so rendering a series allocates once, not per slice. */
class Buffers {
  readonly values: Float32Array;
  readonly tmp: Float32Array;
  readonly noise: Float32Array;
  readonly noise2: Float32Array;
  constructor(n: number) {
    this.values = new Float32Array(n);
    this.tmp = new Float32Array(n);
    this.noise = new Float32Array(n);
    this.noise2 = new Float32Array(n);
  }
}

/** 1D Gaussian kernel (normalised) for a sigma in pixels. */
function kernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const k = new Float32Array(radius * 2 + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / sum;
  return k;
}

/** Separable Gaussian blur in place (edges clamp). */
export function blur(data: Float32Array, tmp: Float32Array, cols: number, rows: number, sigma: number): void {
  if (sigma <= 0.05) return;
  const k = kernel(sigma);
  const r = (k.length - 1) / 2;
  for (let y = 0; y < rows; y++) {
    const base = y * cols;
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i < 0 ? 0 : x + i >= cols ? cols - 1 : x + i;
        acc += (data[base + xx] as number) * (k[i + r] as number);
      }
      tmp[base + x] = acc;
    }
  }
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const yy = y + i < 0 ? 0 : y + i >= rows ? rows - 1 : y + i;
        acc += (tmp[yy * cols + x] as number) * (k[i + r] as number);
      }
      data[y * cols + x] = acc;
    }
  }
}

const TILE = 1024;
const textureTiles = new Map<number, Float32Array>();

/**
 * A periodic tile of smooth unit-variance noise (white noise blurred with wrap-around), made once
 * per sigma. Each slice reads it at its own seeded offset: tissue structure without a blur per slice.
 */
function textureTile(sigma: number): Float32Array {
  const key = Math.round(sigma * 100);
  const cached = textureTiles.get(key);
  if (cached) return cached;
  const tile = new Float32Array(TILE * TILE);
  const tmp = new Float32Array(TILE * TILE);
  fillGaussian(tile, 0xc0ffee + key);
  const k = kernel(sigma);
  const r = (k.length - 1) / 2;
  const mask = TILE - 1;
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += (tile[y * TILE + ((x + i) & mask)] as number) * (k[i + r] as number);
      tmp[y * TILE + x] = acc;
    }
  }
  let sum2 = 0;
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += (tmp[((y + i) & mask) * TILE + x] as number) * (k[i + r] as number);
      tile[y * TILE + x] = acc;
      sum2 += acc * acc;
    }
  }
  const norm = 1 / Math.sqrt(sum2 / (TILE * TILE));
  for (let i = 0; i < tile.length; i++) tile[i] = (tile[i] as number) * norm;
  textureTiles.set(key, tile);
  return tile;
}

function lookup(table: TissueProps[], contrast: Contrast): { base: Float32Array; tex: Float32Array } {
  const base = new Float32Array(256);
  const tex = new Float32Array(256);
  table.forEach((t, i) => {
    if (contrast === "CT" || contrast === "CTPOST") {
      base[i] = contrast === "CT" ? t.ct : t.ctPost;
      tex[i] = t.ctTex;
    } else {
      base[i] = t[contrast] * MR_SCALE;
      tex[i] = t.mrTex * t[contrast] * MR_SCALE;
    }
  });
  return { base, tex };
}

/**
 * Renders every rasterised slice of a series (null for slices left out). Returns signed 16-bit HU
 * for CT, unsigned 16-bit for MR. With two label planes per slice their values are averaged.
 */
export function renderSeries(labels: LabelStack, table: TissueProps[], o: RenderOptions): (Int16Array | Uint16Array | null)[] {
  const g = o.geometry;
  const n = g.rows * g.cols;
  const buf = new Buffers(n);
  const { base, tex } = lookup(table, o.contrast);
  const isCt = o.contrast === "CT" || o.contrast === "CTPOST";
  const texSigma = 1.3 / Math.max(0.5, g.spacing) + 0.4;
  const tile = textureTile(texSigma);
  const pvSigma = o.blurMm / g.spacing;
  const out: (Int16Array | Uint16Array | null)[] = [];
  for (let s = 0; s < g.slices.length; s++) {
    const pl = labels.planes[s] ?? [];
    const la = pl[0];
    const lb = pl[1] ?? la;
    if (!la || !lb) {
      out.push(null);
      continue;
    }
    const seed = hash32(`${o.seedKey}#${s}`);
    // tissue structure: a window of the smooth noise tile, scaled per tissue
    const ox = seed & (TILE - 1);
    const oy = (seed >>> 10) & (TILE - 1);
    const v = buf.values;
    for (let r = 0; r < g.rows; r++) {
      const trow = ((r + oy) & (TILE - 1)) * TILE;
      for (let c = 0; c < g.cols; c++) {
        const i = r * g.cols + c;
        const a = la[i] as number;
        const b = lb[i] as number;
        const nz = tile[trow + ((c + ox) & (TILE - 1))] as number;
        v[i] = 0.5 * ((base[a] as number) + (tex[a] as number) * nz + (base[b] as number) + (tex[b] as number) * nz);
      }
    }
    blur(v, buf.tmp, g.cols, g.rows, pvSigma);
    fillGaussian(buf.noise, seed ^ 0x2345678);
    if (isCt) {
      const img = new Int16Array(n);
      for (let i = 0; i < n; i++) {
        const hu = Math.round((v[i] as number) + (buf.noise[i] as number) * o.noise);
        img[i] = hu < -1024 ? -1024 : hu > 3071 ? 3071 : hu;
      }
      out.push(img);
    } else {
      fillGaussian(buf.noise2, seed ^ 0x3456789);
      const sd = o.noise * MR_SCALE;
      const plane = planeOf(g, s);
      const img = new Uint16Array(n);
      for (let r = 0; r < g.rows; r++) {
        for (let c = 0; c < g.cols; c++) {
          const i = r * g.cols + c;
          // smooth receive-coil shading: brighter towards the posterior (spine coil) and centre
          const yWorld = plane.rowAxis === 1 ? plane.rowOrigin + r * plane.rowStep : plane.colAxis === 1 ? plane.colOrigin + c * plane.colStep : plane.fixedValue;
          const shade = 0.88 + 0.22 / (1 + Math.exp(-(yWorld - 20) / 45));
          const sig = (v[i] as number) * shade;
          const re = sig + (buf.noise[i] as number) * sd;
          const im = (buf.noise2[i] as number) * sd;
          const m = Math.round(Math.sqrt(re * re + im * im));
          img[i] = m > 4095 ? 4095 : m;
        }
      }
      out.push(img);
    }
  }
  return out;
}
