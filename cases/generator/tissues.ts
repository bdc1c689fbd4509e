/**
 * Tissue classes of the synthetic scene and what each looks like on every series type. The scene
 * stores one tissue label per point; rendering a series is a table lookup per label, which is why
 * CT and MR of the same case always agree on where things are.
 */

export const TISSUES = [
  "air",
  "lung",
  "fat",
  "skin",
  "muscle",
  "fascia",
  "cortex",
  "marrow",
  "yellowMarrow",
  "disc",
  "csf",
  "cord",
  "dura",
  "blood",
  "myocardium",
  "esophagus",
  "cartilage",
  "liver",
  "spleen",
  "kidneyCortex",
  "kidneyMedulla",
  "bowel",
  "stomachFluid",
  "pancreas",
  "emhActive",
  "emhFat",
  "emhIron",
  "emhEpidural",
  "emhSclerosing",
  "fibrous",
  "myeloma",
  "plasmacytoma",
  "lipoma",
  "nerve",
] as const;

export type TissueName = (typeof TISSUES)[number];

/** Label value stored in label maps for a tissue (its index in TISSUES). */
export const TISSUE_ID: Readonly<Record<TissueName, number>> = Object.fromEntries(
  TISSUES.map((name, index) => [name, index]),
) as Record<TissueName, number>;

/** MR contrasts the generator can render. */
export type MrContrast = "T1" | "T2" | "STIR" | "T1FS" | "T1FSGD" | "T2FS";

/**
 * Appearance of one tissue. CT values are Hounsfield units (unenhanced and portal venous); `ctTex`
 * is the SD of structure added before the blur (trabeculae, lung vessels, liver texture). MR values
 * are relative signal in 0..1 per contrast; `mrTex` is relative structure SD.
 */
export interface TissueProps {
  ct: number;
  ctPost: number;
  ctTex: number;
  T1: number;
  T2: number;
  STIR: number;
  T1FS: number;
  T1FSGD: number;
  T2FS: number;
  mrTex: number;
}

type Row = [number, number, number, number, number, number, number, number, number, number];

// columns: ct, ctPost, ctTex, T1, T2, STIR, T1FS, T1FSGD, T2FS, mrTex
const BASE: Record<TissueName, Row> = {
  air: [-1000, -1000, 3, 0, 0, 0, 0, 0, 0, 0],
  lung: [-860, -850, 45, 0.02, 0.02, 0.03, 0.02, 0.03, 0.02, 0.3],
  fat: [-105, -103, 7, 0.92, 0.78, 0.04, 0.08, 0.09, 0.06, 0.04],
  skin: [45, 60, 5, 0.5, 0.38, 0.35, 0.45, 0.6, 0.35, 0.05],
  muscle: [52, 62, 6, 0.42, 0.22, 0.18, 0.4, 0.46, 0.2, 0.05],
  fascia: [35, 45, 4, 0.18, 0.1, 0.1, 0.15, 0.22, 0.1, 0.05],
  cortex: [1350, 1350, 80, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.1],
  marrow: [230, 240, 70, 0.62, 0.45, 0.14, 0.28, 0.36, 0.15, 0.1],
  yellowMarrow: [-60, -55, 25, 0.88, 0.72, 0.05, 0.1, 0.11, 0.07, 0.06],
  disc: [85, 95, 5, 0.34, 0.72, 0.6, 0.32, 0.36, 0.62, 0.06],
  csf: [8, 8, 2, 0.1, 1.0, 0.95, 0.1, 0.1, 0.98, 0.02],
  cord: [35, 38, 3, 0.52, 0.4, 0.35, 0.48, 0.5, 0.38, 0.03],
  dura: [45, 60, 3, 0.12, 0.08, 0.08, 0.12, 0.3, 0.08, 0.03],
  blood: [42, 165, 3, 0.06, 0.05, 0.05, 0.06, 0.85, 0.05, 0.06],
  myocardium: [48, 110, 4, 0.4, 0.2, 0.2, 0.38, 0.6, 0.2, 0.04],
  esophagus: [40, 70, 5, 0.4, 0.3, 0.3, 0.38, 0.55, 0.3, 0.05],
  cartilage: [120, 120, 15, 0.38, 0.35, 0.3, 0.36, 0.4, 0.32, 0.05],
  liver: [60, 108, 5, 0.55, 0.18, 0.15, 0.5, 0.62, 0.16, 0.04],
  spleen: [46, 128, 4, 0.4, 0.45, 0.45, 0.38, 0.66, 0.42, 0.03],
  kidneyCortex: [35, 185, 4, 0.45, 0.45, 0.45, 0.43, 0.85, 0.45, 0.03],
  kidneyMedulla: [30, 140, 4, 0.3, 0.6, 0.55, 0.28, 0.7, 0.58, 0.03],
  bowel: [35, 90, 12, 0.35, 0.4, 0.35, 0.33, 0.6, 0.4, 0.15],
  stomachFluid: [12, 15, 4, 0.12, 0.9, 0.85, 0.12, 0.14, 0.88, 0.05],
  pancreas: [45, 100, 8, 0.55, 0.3, 0.25, 0.55, 0.62, 0.28, 0.08],
  emhActive: [46, 70, 5, 0.44, 0.4, 0.36, 0.42, 0.78, 0.38, 0.05],
  emhFat: [-78, -75, 14, 0.86, 0.74, 0.06, 0.1, 0.14, 0.08, 0.07],
  emhIron: [70, 78, 6, 0.12, 0.06, 0.07, 0.12, 0.17, 0.06, 0.1],
  emhEpidural: [48, 75, 4, 0.52, 0.62, 0.56, 0.5, 0.82, 0.58, 0.04],
  emhSclerosing: [40, 58, 6, 0.4, 0.35, 0.3, 0.38, 0.55, 0.32, 0.06],
  fibrous: [62, 92, 5, 0.25, 0.15, 0.15, 0.25, 0.5, 0.15, 0.05],
  myeloma: [40, 78, 5, 0.34, 0.58, 0.62, 0.33, 0.78, 0.6, 0.05],
  plasmacytoma: [45, 95, 4, 0.43, 0.62, 0.7, 0.42, 0.9, 0.74, 0.04],
  lipoma: [-102, -100, 6, 0.95, 0.82, 0.04, 0.08, 0.09, 0.06, 0.03],
  nerve: [32, 38, 4, 0.36, 0.36, 0.34, 0.34, 0.4, 0.33, 0.12],
};

/** Per-case adjustments (e.g. iron-laden marrow, sclerotic marrow). */
export type TissueOverrides = Partial<Record<TissueName, Partial<TissueProps>>>;

/** Builds the tissue table for a case: defaults with the case's overrides applied. */
export function buildTissueTable(overrides: TissueOverrides = {}): TissueProps[] {
  return TISSUES.map((name) => {
    const [ct, ctPost, ctTex, T1, T2, STIR, T1FS, T1FSGD, T2FS, mrTex] = BASE[name];
    return { ct, ctPost, ctTex, T1, T2, STIR, T1FS, T1FSGD, T2FS, mrTex, ...overrides[name] };
  });
}
