import { z } from "zod";

/**
 * Schemas for what the viewer hands to the server (measurements, user presets) and what it
 * receives (key-image annotations). The lead's route handlers parse request bodies with these;
 * the TypeScript types in ./types come from them.
 */

const finite = z.number().finite();

/** A point in image pixel coordinates: x along columns, y along rows, (0,0) = top-left corner. */
export const imagePointSchema = z.tuple([finite, finite]);

export const annotationSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("arrow"), from: imagePointSchema, to: imagePointSchema, text: z.string().max(200).optional() }),
  z.object({ type: z.literal("ellipse"), center: imagePointSchema, radius: imagePointSchema, text: z.string().max(200).optional() }),
  z.object({ type: z.literal("text"), at: imagePointSchema, text: z.string().min(1).max(200) }),
]);

export const keyImageSchema = z.object({
  seriesId: z.string().min(1),
  instanceId: z.string().min(1),
  caption: z.string().max(300).optional(),
  annotations: z.array(annotationSchema).max(50),
});

const measurementTarget = {
  id: z.string().min(1).max(100),
  seriesId: z.string().min(1).max(200),
  instanceId: z.string().min(1).max(200),
  /** Frame index inside a multi-frame instance; 0 for single-frame files. */
  frame: z.number().int().min(0),
};

/** A user measurement, in image coordinates so it survives zoom, pan and rotation. */
export const measurementSchema = z.discriminatedUnion("type", [
  z.object({ ...measurementTarget, type: z.literal("length"), points: z.tuple([imagePointSchema, imagePointSchema]) }),
  // The vertex is points[1].
  z.object({ ...measurementTarget, type: z.literal("angle"), points: z.tuple([imagePointSchema, imagePointSchema, imagePointSchema]) }),
  z.object({ ...measurementTarget, type: z.literal("ellipse"), center: imagePointSchema, radius: imagePointSchema }),
]);

/** A whole set as sent by onMeasurementsChange (bounded so one request cannot grow without limit). */
export const measurementListSchema = z.array(measurementSchema).max(500);

export const windowPresetSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(40),
  width: finite.positive(),
  center: finite,
  /** Keyboard key that applies it ("1".."9"); assigned by the viewer, built-ins own 1-6. */
  key: z.string().max(1).optional(),
});

/** User presets as sent by onUserPresetsChange: at most three (keys 7-9). */
export const windowPresetListSchema = z.array(windowPresetSchema).max(3);
