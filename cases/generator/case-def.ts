/**
 * Shape of a case's image description (what each cases/<slug>/generate.ts exports).
 */
import type { SeriesGeometry } from "./geometry";
import type { Contrast } from "./render";
import type { Scene } from "./scene";
import type { Vec3 } from "./shapes";
import type { TissueName, TissueOverrides } from "./tissues";

/** MR acquisition parameters written to the MR Image module. */
export interface MrParams {
  scanningSequence: string[];
  sequenceVariant: string[];
  scanOptions: string[];
  tr: number;
  te: number;
  ti?: number;
  etl: number;
  flip: number;
}

export interface SeriesSpec {
  /** SeriesDescription, neutral (never the diagnosis) */
  description: string;
  contrast: Contrast;
  geometry: SeriesGeometry;
  mr?: MrParams;
}

/** Annotation in world coordinates; converted to the key image's pixel coordinates on output. */
export type KeyAnnotationSpec =
  | { type: "arrow"; target: Vec3; from: [number, number]; text: string }
  | { type: "ellipse"; center: Vec3; radiusMm: [number, number]; text: string }
  | { type: "text"; at: [number, number]; text: string };

export interface KeyImageSpec {
  series: string;
  /** world point whose nearest slice is the key image */
  at: Vec3;
  caption: string;
  annotations: KeyAnnotationSpec[];
}

export interface CaseDefinition {
  slug: string;
  studyDescription: string;
  bodyPart: string;
  patientPosition: "HFS" | "FFS";
  /** builds the 3D tissue scene (called once per generation) */
  buildScene: () => Scene;
  tissues: TissueOverrides;
  series: SeriesSpec[];
  keyImages: KeyImageSpec[];
  /** world point shown on the contact sheet (the lesion centre) */
  keyPoint: Vec3;
  /** tissues that make up the lesion, for tests */
  lesionTissues: TissueName[];
}
