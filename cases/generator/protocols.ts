/**
 * Standard series layouts. Axial CT and axial MR of a case cover the same z range (CT 44 x 3 mm,
 * MR 22 x 6 mm), so synchronised scrolling by position lines them up.
 */
import type { SeriesSpec } from "./case-def";
import { sliceRange, type SeriesGeometry } from "./geometry";
import { MR_PROTOCOL } from "./mr-protocols";
import type { Contrast } from "./render";
import type { MrContrast } from "./tissues";

/** CT axial, 512 x 512, 44 slices of 3 mm from zTop downwards. */
export function ctAxial(description: string, zTop: number, contrast: Contrast = "CT", center: [number, number] = [0, 8], fov = 360): SeriesSpec {
  const geometry: SeriesGeometry = { orientation: "axial", rows: 512, cols: 512, spacing: fov / 512, center, slices: sliceRange(zTop, -3, 44), sliceThickness: 3 };
  return { description, contrast, geometry };
}

/** MR axial, 256 x 256, 22 slices of 5 mm every 6 mm covering the CT range. */
export function mrAxial(description: string, contrast: MrContrast, zTop: number, center: [number, number] = [0, 10], fov = 320): SeriesSpec {
  const geometry: SeriesGeometry = { orientation: "axial", rows: 256, cols: 256, spacing: fov / 256, center, slices: sliceRange(zTop - 1.5, -6, 22), sliceThickness: 5 };
  return { description, contrast, geometry, mr: MR_PROTOCOL[contrast] };
}

/** MR sagittal, 256 x 256, 21 slices of 3 mm from patient right to left across x = -30..30. */
export function mrSagittal(description: string, contrast: MrContrast, centerYZ: [number, number], fov = 300): SeriesSpec {
  const geometry: SeriesGeometry = { orientation: "sagittal", rows: 256, cols: 256, spacing: fov / 256, center: centerYZ, slices: sliceRange(-30, 3, 21), sliceThickness: 3 };
  return { description, contrast, geometry, mr: MR_PROTOCOL[contrast] };
}

/** MR coronal, 256 x 256, `count` slices every `step` mm from y0 (anterior to posterior). */
export function mrCoronal(description: string, contrast: MrContrast, centerXZ: [number, number], y0: number, count = 20, step = 6, fov = 300): SeriesSpec {
  const geometry: SeriesGeometry = { orientation: "coronal", rows: 256, cols: 256, spacing: fov / 256, center: centerXZ, slices: sliceRange(y0, step, count), sliceThickness: step - 1 };
  return { description, contrast, geometry, mr: MR_PROTOCOL[contrast] };
}
