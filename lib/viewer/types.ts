/** Props contract between the case page and the viewer. Pure types: safe to import on the server. */

import type { z } from "zod";
import type { annotationSchema, imagePointSchema, keyImageSchema, measurementSchema, windowPresetSchema } from "./schemas";

export type ViewerInstance = {
  id: string;
  url: string;
  instanceNumber: number | null;
  position: [number, number, number] | null;
  orientation: number[] | null;
  sliceLocation: number | null;
  sliceThickness: number | null;
  pixelSpacing: [number, number] | null;
  rows: number;
  columns: number;
  frames: number;
};

export type ViewerSeries = {
  id: string;
  description: string;
  modality: string;
  seriesNumber: number | null;
  frameOfReferenceUid: string | null;
  thumbnailUrl?: string;
  /** Sorted in display order by the server. */
  instances: ViewerInstance[];
};

export type ImagePoint = z.infer<typeof imagePointSchema>;
export type Annotation = z.infer<typeof annotationSchema>;
export type KeyImage = z.infer<typeof keyImageSchema>;
export type Measurement = z.infer<typeof measurementSchema>;
export type WindowPreset = z.infer<typeof windowPresetSchema>;

/**
 * How the case editor keeps key images: each call sends one image's whole key image (or its removal) and resolves
 * to null when stored, or to a message saying why not. Without it the viewer only shows key images.
 */
export type KeyImageEditing = {
  save(keyImage: KeyImage): Promise<string | null>;
  remove(target: { seriesId: string; instanceId: string }): Promise<string | null>;
  /** Stores the key images' order (every key image's instance, first to last). */
  reorder(instanceIds: string[]): Promise<string | null>;
};

export type CaseViewerProps = {
  series: ViewerSeries[];
  keyImages?: KeyImage[];
  keyImageEditing?: KeyImageEditing;
  initialMeasurements?: Measurement[];
  onMeasurementsChange?: (m: Measurement[]) => void;
  userPresets?: WindowPreset[];
  onUserPresetsChange?: (p: WindowPreset[]) => void;
};
