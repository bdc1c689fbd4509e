import { z } from "zod";
import { leakingPhrase } from "./answer-leaks";

/**
 * A series description as an educator types it: what residents see in the viewer overlay and the series panel.
 * DICOM LO-safe (at most 64 characters of the default repertoire, no backslash, no control characters), so the
 * same text could be written into SeriesDescription unchanged.
 */
export const seriesDescriptionSchema = z
  .string()
  .trim()
  .min(1, "Enter a description (e.g. AX T2)")
  .max(64, "Use at most 64 characters")
  .regex(/^[\x20-\x5b\x5d-\x7e]*$/, "Use plain letters, digits and punctuation (no backslash or accents)");

/**
 * The plane of an image from ImageOrientationPatient (row and column direction cosines): the axis the slice
 * normal points along most. Undefined when the orientation is missing or malformed.
 */
export function planeOf(orientation: readonly number[] | null | undefined): "AX" | "SAG" | "COR" | "OBL" | undefined {
  if (!orientation || orientation.length !== 6 || orientation.some((v) => !Number.isFinite(v))) return undefined;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  const n = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx].map(Math.abs) as [number, number, number];
  const length = Math.hypot(...n);
  if (length < 1e-6) return undefined;
  const biggest = Math.max(...n);
  // More than ~35 degrees off every axis is an oblique plane; naming it after the nearest axis would mislead.
  if (biggest / length < 0.82) return "OBL";
  return biggest === n[2] ? "AX" : biggest === n[0] ? "SAG" : "COR";
}

/**
 * A neutral description proposed from attributes that cannot give the diagnosis away: modality and plane
 * ("CT AX", "MR SAG"). The educator refines it ("AX T2 FS").
 */
export function suggestSeriesDescription(s: { modality: string; imageOrientation?: readonly number[] | null }): string {
  const modality = s.modality.trim().toUpperCase().replace(/[^A-Z0-9]/g, "") || "OT";
  const plane = planeOf(s.imageOrientation);
  return plane ? `${modality} ${plane}` : modality;
}

/**
 * Checks a description against the case's answer phrases: a field error naming the leaking phrase, or undefined.
 * The same rule bundle import applies to SeriesDescription (lib/cases/import-bundle).
 */
export function answerLeakError(description: string, phrases: readonly string[]): string | undefined {
  const leak = leakingPhrase(description, phrases);
  return leak ? `"${description}" gives the answer away ("${leak}"); use a neutral description such as the plane and sequence` : undefined;
}
