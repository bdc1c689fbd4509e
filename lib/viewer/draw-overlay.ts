import { ellipseStats, measureAngle, measureLength, type Spacing } from "./measurements";
import type { Annotation, ImagePoint, Measurement } from "./types";

export type ToCanvas = (p: ImagePoint) => { x: number; y: number };

export type PixelSource = {
  pixels: ArrayLike<number>;
  columns: number;
  rows: number;
  slope: number;
  intercept: number;
  spacing: Spacing;
  modality: string | null;
};

const KEY_COLOR = "#ffd24a";
const MEASURE_COLOR = "#5ee0a0";
const DRAFT_COLOR = "#7cc4ff";
const SELECTED_COLOR = "#ffffff";

/** How an annotation is drawn: as stored, while being drawn, or selected in the editor's list. */
export type AnnotationLook = "stored" | "draft" | "selected";
const lookColor: Record<AnnotationLook, string> = { stored: KEY_COLOR, draft: DRAFT_COLOR, selected: SELECTED_COLOR };

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string): void {
  ctx.font = "12px system-ui, sans-serif";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(0,0,0,0.85)";
  ctx.fillStyle = color;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    ctx.strokeText(line, x, y + i * 14);
    ctx.fillText(line, x, y + i * 14);
  });
}

function strokeWithShadow(ctx: CanvasRenderingContext2D, color: string, draw: () => void): void {
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(0,0,0,0.6)";
  draw();
  ctx.stroke();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  draw();
  ctx.stroke();
}

function ellipsePath(ctx: CanvasRenderingContext2D, toCanvas: ToCanvas, center: ImagePoint, radius: ImagePoint): void {
  // Sample the ellipse in image space so rotation and flips of the view are honoured.
  ctx.beginPath();
  for (let i = 0; i <= 64; i++) {
    const t = (i / 64) * 2 * Math.PI;
    const p = toCanvas([center[0] + radius[0] * Math.cos(t), center[1] + radius[1] * Math.sin(t)]);
    if (i === 0) ctx.moveTo(p.x, p.y);
    else ctx.lineTo(p.x, p.y);
  }
  ctx.closePath();
}

/** Draws one key-image annotation (arrow, ellipse or text) in image coordinates. */
export function drawAnnotation(ctx: CanvasRenderingContext2D, toCanvas: ToCanvas, a: Annotation, look: AnnotationLook = "stored"): void {
  const color = lookColor[look];
  if (a.type === "arrow") {
    const from = toCanvas(a.from);
    const to = toCanvas(a.to);
    const angle = Math.atan2(to.y - from.y, to.x - from.x);
    const head = 12;
    strokeWithShadow(ctx, color, () => {
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x, to.y);
      ctx.moveTo(to.x - head * Math.cos(angle - 0.45), to.y - head * Math.sin(angle - 0.45));
      ctx.lineTo(to.x, to.y);
      ctx.lineTo(to.x - head * Math.cos(angle + 0.45), to.y - head * Math.sin(angle + 0.45));
    });
    if (a.text) label(ctx, a.text, from.x + 4, from.y - 6, color);
  } else if (a.type === "ellipse") {
    strokeWithShadow(ctx, color, () => ellipsePath(ctx, toCanvas, a.center, a.radius));
    if (a.text) {
      const p = toCanvas([a.center[0] + Math.abs(a.radius[0]), a.center[1] - Math.abs(a.radius[1])]);
      label(ctx, a.text, p.x + 4, p.y, color);
    }
  } else {
    const p = toCanvas(a.at);
    label(ctx, a.text, p.x, p.y, color);
  }
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** The text shown next to a measurement ("23.4 mm", "41.2°", "Mean 35.1 HU ..."). */
export function measurementText(m: Measurement, source: PixelSource | null): string {
  const spacing = source?.spacing ?? null;
  if (m.type === "length") {
    const { value, unit } = measureLength(m.points[0], m.points[1], spacing);
    return `${fmt(value)} ${unit}`;
  }
  if (m.type === "angle") return `${fmt(measureAngle(m.points[0], m.points[1], m.points[2], spacing))}°`;
  if (!source) return "";
  const s = ellipseStats(source.pixels, source.columns, source.rows, m.center, m.radius, source, spacing);
  const unit = (source.modality ?? "").toUpperCase() === "CT" ? " HU" : "";
  return `Mean ${fmt(s.mean)}${unit}  SD ${fmt(s.sd)}\nArea ${fmt(s.area, s.areaUnit === "mm²" ? 1 : 0)} ${s.areaUnit}`;
}

/** Draws a measurement (or the one being drawn, `draft`) with its value. */
export function drawMeasurement(
  ctx: CanvasRenderingContext2D,
  toCanvas: ToCanvas,
  m: Measurement,
  source: PixelSource | null,
  draft = false,
): void {
  const color = draft ? DRAFT_COLOR : MEASURE_COLOR;
  const text = measurementText(m, source);
  if (m.type === "length" || m.type === "angle") {
    const pts = m.points.map(toCanvas);
    strokeWithShadow(ctx, color, () => {
      ctx.beginPath();
      pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    });
    ctx.fillStyle = color;
    for (const p of pts) ctx.fillRect(p.x - 2.5, p.y - 2.5, 5, 5);
    const anchor = pts[pts.length - 1]!;
    label(ctx, text, anchor.x + 8, anchor.y + 4, color);
  } else {
    strokeWithShadow(ctx, color, () => ellipsePath(ctx, toCanvas, m.center, m.radius));
    const p = toCanvas([m.center[0] + Math.abs(m.radius[0]), m.center[1] + Math.abs(m.radius[1])]);
    label(ctx, text, p.x + 6, p.y + 4, color);
  }
}
