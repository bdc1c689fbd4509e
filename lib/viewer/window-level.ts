import type { WindowPreset } from "./types";

/** Built-in CT presets (width/center in HU), keys 1-6 as in most PACS and OHIF. */
export const BUILT_IN_PRESETS: readonly WindowPreset[] = [
  { id: "soft-tissue", name: "Soft tissue", width: 400, center: 40, key: "1" },
  { id: "lung", name: "Lung", width: 1500, center: -600, key: "2" },
  { id: "bone", name: "Bone", width: 2500, center: 480, key: "3" },
  { id: "brain", name: "Brain", width: 80, center: 40, key: "4" },
  { id: "liver", name: "Liver", width: 150, center: 90, key: "5" },
  { id: "mediastinum", name: "Mediastinum", width: 350, center: 50, key: "6" },
];

/** Keys handed to user presets, in order of creation. */
export const USER_PRESET_KEYS = ["7", "8", "9"] as const;

export type WindowValues = { width: number; center: number };

/**
 * The list the UI shows: built-ins, then user presets with keys 7-9 assigned by position
 * (a user preset never steals a built-in key).
 */
export function listPresets(userPresets: readonly WindowPreset[]): WindowPreset[] {
  const users = userPresets.map((p, i) => ({ ...p, key: USER_PRESET_KEYS[i] }));
  return [...BUILT_IN_PRESETS, ...users];
}

/** Finds the preset bound to a key, or undefined. */
export function findPresetByKey(presets: readonly WindowPreset[], key: string): WindowPreset | undefined {
  return presets.find((p) => p.key === key);
}

type PixelArray = ArrayLike<number>;

/**
 * Window from the rescaled pixel range. For MR (and any modality without calibrated units) the
 * extremes are usually a few hot pixels, so the 0.5th-99.5th percentile of the non-padding pixels
 * is used; for CT and others the full range. Padding pixels never take part.
 */
export function computeAutoWindow(
  pixels: PixelArray,
  options: { slope: number; intercept: number; padding?: number | null; modality?: string | null },
): WindowValues {
  const { slope, intercept } = options;
  const padding = options.padding ?? null;
  const robust = (options.modality ?? "").toUpperCase() === "MR";
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    if (v === padding) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  if (count === 0) return { width: 1, center: intercept };
  let lo = min;
  let hi = max;
  if (robust && max > min) {
    // Histogram over the stored range: O(n) and exact for integer pixel data.
    const bins = Math.min(65536, Math.floor(max - min) + 1);
    const scale = (bins - 1) / (max - min);
    const histogram = new Uint32Array(bins);
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i] as number;
      if (v === padding) continue;
      histogram[Math.round((v - min) * scale)]!++;
    }
    const loCount = count * 0.005;
    const hiCount = count * 0.995;
    let seen = 0;
    let loBin = 0;
    let hiBin = bins - 1;
    let loFound = false;
    for (let b = 0; b < bins; b++) {
      seen += histogram[b]!;
      if (!loFound && seen > loCount) {
        loBin = b;
        loFound = true;
      }
      if (seen >= hiCount) {
        hiBin = b;
        break;
      }
    }
    lo = min + loBin / scale;
    hi = min + hiBin / scale;
    if (hi <= lo) {
      lo = min;
      hi = max;
    }
  }
  const a = lo * slope + intercept;
  const b = hi * slope + intercept;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  return { width: Math.max(1, high - low), center: (high + low) / 2 };
}

/**
 * New window after a drag of (dx, dy) screen pixels: right widens, down raises the level, as in
 * OHIF. The step scales with the image's value range so CT and 8-bit images feel alike.
 */
export function dragWindow(start: WindowValues, dx: number, dy: number, valueRange: number): WindowValues {
  const step = Math.max(valueRange / 1024, 0.05);
  return { width: Math.max(1, start.width + dx * step), center: start.center + dy * step };
}
