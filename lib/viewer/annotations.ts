import { ANNOTATION_TOOLS, type AnnotationTool } from "./tools";
import type { Annotation, ImagePoint, KeyImage } from "./types";

/** The text a new label starts with; the editor focuses it for the author to overwrite. */
export const NEW_LABEL_TEXT = "Label";

/** Drags shorter than this (image pixels) draw nothing: a click with the arrow or ellipse tool is not a shape. */
const MIN_SIZE = 2;

/**
 * The annotation a drag of an annotation tool draws, in image coordinates: an arrow from where the drag started
 * (its tail) to where it ended (its head), an ellipse inscribed in the dragged box, a label where it started.
 */
export function annotationFromDrag(tool: AnnotationTool, start: ImagePoint, end: ImagePoint): Annotation | null {
  if (tool === "label") return { type: "text", at: start, text: NEW_LABEL_TEXT };
  if (tool === "arrow") return Math.hypot(end[0] - start[0], end[1] - start[1]) < MIN_SIZE ? null : { type: "arrow", from: start, to: end };
  const radius: ImagePoint = [Math.abs(end[0] - start[0]) / 2, Math.abs(end[1] - start[1]) / 2];
  if (radius[0] < MIN_SIZE / 2 || radius[1] < MIN_SIZE / 2) return null;
  return { type: "ellipse", center: [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2], radius };
}

/** The shape a tool places at the centre of a `columns` x `rows` image (keyboard placement with Enter). */
export function annotationAtCentre(tool: AnnotationTool, columns: number, rows: number): Annotation {
  const c: ImagePoint = [columns / 2, rows / 2];
  const size = Math.max(4, Math.min(columns, rows) / 8);
  if (tool === "arrow") return { type: "arrow", from: [c[0] - size * 1.5, c[1] - size * 1.5], to: c };
  if (tool === "markEllipse") return { type: "ellipse", center: c, radius: [size, size] };
  return { type: "text", at: c, text: NEW_LABEL_TEXT };
}

/** "Arrow", "Ellipse" or "Text": how the editor's list names a shape. */
export function annotationKind(a: Annotation): string {
  return a.type === "arrow" ? "Arrow" : a.type === "ellipse" ? "Ellipse" : "Text";
}

/** The tool that draws a stored shape (for the list's "draw another" hints). */
export function toolForShape(a: Annotation): AnnotationTool {
  return ANNOTATION_TOOLS.find((t) => t.shape === a.type)!.tool;
}

/** A copy of an annotation with new text (arrows and ellipses drop an empty one; a label must keep some). */
export function withText(a: Annotation, text: string): Annotation {
  if (a.type === "text") return { ...a, text: text.slice(0, 200) };
  const trimmed = text.slice(0, 200);
  const { text: _old, ...shape } = a;
  return trimmed ? { ...shape, text: trimmed } : shape;
}

/** The key image on an instance, if it is one. */
export function keyImageOn(keyImages: readonly KeyImage[], seriesId: string, instanceId: string): KeyImage | undefined {
  return keyImages.find((k) => k.seriesId === seriesId && k.instanceId === instanceId);
}

/** Key images with `next` in place of the one on its instance (appended when new), or without it when `next` is null. */
export function replaceKeyImage(keyImages: readonly KeyImage[], target: { seriesId: string; instanceId: string }, next: KeyImage | null): KeyImage[] {
  const i = keyImages.findIndex((k) => k.seriesId === target.seriesId && k.instanceId === target.instanceId);
  if (next === null) return i < 0 ? [...keyImages] : keyImages.filter((_, j) => j !== i);
  if (i < 0) return [...keyImages, next];
  return keyImages.map((k, j) => (j === i ? next : k));
}

/** The points of a shape that can be dragged to edit it: an arrow's tail and head, an ellipse's centre and corner, a label's anchor. */
export function annotationHandles(a: Annotation): ImagePoint[] {
  if (a.type === "arrow") return [a.from, a.to];
  if (a.type === "ellipse") return [a.center, [a.center[0] + Math.abs(a.radius[0]), a.center[1] + Math.abs(a.radius[1])]];
  return [a.at];
}

/**
 * The shape with handle `handle` dragged to `point`: an arrow's end moves alone; an ellipse moves by its centre and
 * is resized by its corner (never below one pixel); a label moves.
 */
export function moveAnnotationHandle(a: Annotation, handle: number, point: ImagePoint): Annotation {
  if (a.type === "arrow") return handle === 0 ? { ...a, from: point } : { ...a, to: point };
  if (a.type === "ellipse") {
    if (handle === 0) return { ...a, center: point };
    return { ...a, radius: [Math.max(1, Math.abs(point[0] - a.center[0])), Math.max(1, Math.abs(point[1] - a.center[1]))] };
  }
  return { ...a, at: point };
}

/** The point a shape is placed by, as the editor's list shows it: an arrow's head, an ellipse's centre, a label's anchor. */
export function annotationAnchor(a: Annotation): ImagePoint {
  return a.type === "arrow" ? a.to : a.type === "ellipse" ? a.center : a.at;
}

/**
 * The whole shape moved by `delta` image pixels (keyboard nudging), stopped at the edges of a `columns` x `rows`
 * image: every point of an arrow, an ellipse's centre and a label's anchor stay on the image. Size is unchanged.
 */
export function moveAnnotation(a: Annotation, delta: ImagePoint, columns: number, rows: number): Annotation {
  const points = a.type === "arrow" ? [a.from, a.to] : [annotationAnchor(a)];
  const clamp = (d: number, axis: 0 | 1, size: number) => {
    const lo = Math.min(...points.map((p) => p[axis]));
    const hi = Math.max(...points.map((p) => p[axis]));
    // A shape already past an edge may move back towards the image, never further out.
    return Math.max(Math.min(d, Math.max(0, size - hi)), Math.min(0, -lo));
  };
  const dx = clamp(delta[0], 0, columns);
  const dy = clamp(delta[1], 1, rows);
  const shift = (p: ImagePoint): ImagePoint => [p[0] + dx, p[1] + dy];
  if (a.type === "arrow") return { ...a, from: shift(a.from), to: shift(a.to) };
  if (a.type === "ellipse") return { ...a, center: shift(a.center) };
  return { ...a, at: shift(a.at) };
}
