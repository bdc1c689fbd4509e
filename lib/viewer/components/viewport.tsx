"use client";

import cornerstone, { type CornerstoneImage, type Viewport as CsViewport } from "cornerstone-core";
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import type { CasebookImage } from "../create-image";
import { annotationFromDrag, annotationHandles, moveAnnotationHandle } from "../annotations";
import { drawAnnotation, drawMeasurement, measurementText, type PixelSource } from "../draw-overlay";
import { isAbortError } from "../fetch-queue";
import { loadOrder, orientationMarkers } from "../geometry";
import { IMAGE_CACHE_BYTES } from "../init-viewer";
import { markFirstImageShown, prioritizeImage } from "../image-loader";
import { measurementHandles, measurementsOn, moveHandle } from "../measurements";
import type { StackEntry } from "../stack";
import { isAnnotationTool, resolveAction, type AnnotationTool, type DragAction, type PrimaryTool } from "../tools";
import type { Annotation, ImagePoint, KeyImage, Measurement, ViewerSeries } from "../types";
import { dragWindow, type WindowValues } from "../window-level";
import styles from "./viewer.module.css";

/** Commands the viewer shell sends to one viewport. */
export type ViewportController = {
  getSlice(): number;
  setSlice(index: number, options?: { fromSync?: boolean }): void;
  scrollBy(delta: number, options?: { wrap?: boolean }): void;
  setWindow(w: WindowValues): void;
  getWindow(): WindowValues | null;
  defaultWindow(): void;
  zoomBy(factor: number): void;
  fit(): void;
  actualSize(): void;
  rotate(degrees: number): void;
  flipHorizontal(): void;
  flipVertical(): void;
  invert(): void;
  reset(): void;
  cancelDraft(): void;
  deleteLastMeasurement(): void;
  exportPng(): Promise<void>;
  /** The image-pixel direction (a unit step along one axis) of a unit step on screen, through rotation and flips. */
  imageDirection(screen: ImagePoint): ImagePoint;
};

export type ViewportProps = {
  index: number;
  series: ViewerSeries | null;
  stack: StackEntry[];
  initialSlice: number;
  active: boolean;
  primaryTool: PrimaryTool;
  showOverlays: boolean;
  measurements: Measurement[];
  keyImages: KeyImage[];
  controllerRef: Ref<ViewportController>;
  onActivate: (index: number) => void;
  onSliceChange: (index: number, slice: number) => void;
  onAddMeasurement: (m: Measurement) => void;
  onDeleteMeasurement: (id: string) => void;
  onUpdateMeasurement: (m: Measurement) => void;
  onDropSeries: (index: number, seriesId: string) => void;
  /** Where the viewer edits key images: a shape drawn with an annotation tool on the image shown. */
  onAddAnnotation?: (target: ImageTarget, annotation: Annotation) => void;
  /** A drawn annotation moved or resized by one of its handles (annotation tools only). */
  onUpdateAnnotation?: (target: ImageTarget, index: number, annotation: Annotation) => void;
  /** The annotation selected in the editor's list, drawn highlighted. */
  selectedAnnotation?: { instanceId: string; index: number } | null;
  /** Called whenever the viewport shows another image (also when following a synchronized viewport). */
  onImageShown?: (index: number, target: ImageTarget | null) => void;
};

/** One image of a series. */
export type ImageTarget = { seriesId: string; instanceId: string };

type Info = { ww: number; wc: number; zoom: number; rotation: number; hflip: boolean; vflip: boolean; invert: boolean };

type Draft =
  | { type: "length"; points: [ImagePoint, ImagePoint] }
  | { type: "ellipse"; corner: ImagePoint; other: ImagePoint }
  | { type: "angle"; points: [ImagePoint, ImagePoint, ImagePoint]; phase: "first" | "third" }
  | { type: "annotation"; tool: AnnotationTool; start: ImagePoint; end: ImagePoint };

type Gesture = {
  action: DragAction;
  pointerId: number;
  lastX: number;
  lastY: number;
  startX: number;
  startY: number;
  startWindow: WindowValues | null;
  startScale: number;
  scrollAccumulator: number;
};

export const SERIES_DRAG_TYPE = "application/x-casebook-series";

function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `m-${Date.now()}-${Math.random()}`;
}

/** Runs `callback` once the next frame has been painted (cornerstone draws in an animation frame). */
function afterNextPaint(callback: () => void): void {
  requestAnimationFrame(() => setTimeout(callback, 0));
}

function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits);
}

/** One cornerstone viewport: a thin shell around an enabled element plus an overlay canvas. */
export function ViewportView(props: ViewportProps) {
  const { index, series, stack, active, primaryTool, showOverlays, measurements, keyImages } = props;
  const elementRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const sliceRef = useRef(0);
  const [slice, setSliceState] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [info, setInfo] = useState<Info | null>(null);
  const showGeneration = useRef(0);
  const sessionRef = useRef<AbortController | null>(null);
  const requestedRef = useRef(new Set<string>());
  const seriesShownRef = useRef<string | null>(null);
  // The window the series opened with: "0" and Reset return to it, not to each slice's own auto window.
  const seriesWindowRef = useRef<WindowValues | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const editRef = useRef<{ measurement: Measurement; handle: number; pointerId: number } | null>(null);
  const annotationEditRef = useRef<{ index: number; handle: number; annotation: Annotation; pointerId: number } | null>(null);
  const gesturesRef = useRef(new Map<number, { x: number; y: number }>());
  const gestureRef = useRef<Gesture | null>(null);
  const pinchRef = useRef<{ distance: number; midX: number; midY: number } | null>(null);
  const wheelAccumulator = useRef(0);
  const propsRef = useRef(props);
  propsRef.current = props;

  const element = () => elementRef.current;
  const hasImage = () => {
    const el = element();
    return !!el && !!cornerstone.getEnabledElement(el).image;
  };

  // ---- overlay drawing -------------------------------------------------------------
  const pixelSource = useCallback((): PixelSource | null => {
    const el = element();
    if (!el) return null;
    const image = cornerstone.getImage(el) as unknown as CasebookImage | undefined;
    if (!image || image.color) return null;
    return {
      pixels: image.getPixelData(),
      columns: image.columns,
      rows: image.rows,
      slope: image.slope,
      intercept: image.intercept,
      spacing: image.columnPixelSpacing && image.rowPixelSpacing ? { column: image.columnPixelSpacing, row: image.rowPixelSpacing } : null,
      modality: image.meta?.modality ?? propsRef.current.series?.modality ?? null,
    };
  }, []);

  const drawOverlay = useCallback(() => {
    const el = element();
    const overlay = overlayRef.current;
    if (!el || !overlay) return;
    const enabled = cornerstone.getEnabledElement(el);
    const canvas = enabled.canvas;
    if (overlay.width !== canvas.width) overlay.width = canvas.width;
    if (overlay.height !== canvas.height) overlay.height = canvas.height;
    const ctx = overlay.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const p = propsRef.current;
    const entry = p.stack[sliceRef.current];
    if (!enabled.image || !entry || !p.series) return;
    const toCanvas = (pt: ImagePoint) => cornerstone.pixelToCanvas(el, { x: pt[0], y: pt[1] });
    const source = pixelSource();
    for (const key of p.keyImages) {
      if (key.seriesId !== p.series.id || key.instanceId !== entry.instance.id) continue;
      const selected = p.selectedAnnotation?.instanceId === key.instanceId ? p.selectedAnnotation.index : -1;
      const moving = annotationEditRef.current;
      key.annotations.forEach((a, i) =>
        moving?.index === i ? drawAnnotation(ctx, toCanvas, moving.annotation, "draft") : drawAnnotation(ctx, toCanvas, a, i === selected ? "selected" : "stored"),
      );
    }
    const editing = editRef.current?.measurement;
    for (const m of measurementsOn(p.measurements, p.series.id, entry.instance.id, entry.frame)) {
      drawMeasurement(ctx, toCanvas, editing?.id === m.id ? editing : m, source, editing?.id === m.id);
    }
    const draft = draftRef.current;
    if (draft?.type === "annotation") {
      const shape = annotationFromDrag(draft.tool, draft.start, draft.end);
      if (shape) drawAnnotation(ctx, toCanvas, shape, "draft");
    } else if (draft) {
      const base = { id: "draft", seriesId: p.series.id, instanceId: entry.instance.id, frame: entry.frame };
      const m: Measurement | null =
        draft.type === "length"
          ? { ...base, type: "length", points: draft.points }
          : draft.type === "angle"
            ? { ...base, type: "angle", points: draft.phase === "first" ? [draft.points[0], draft.points[1], draft.points[1]] : draft.points }
            : ellipseFromCorners(base, draft.corner, draft.other);
      if (m) drawMeasurement(ctx, toCanvas, m, source, true);
    }
  }, [pixelSource]);

  // ---- loading and display ----------------------------------------------------------
  const prefetch = useCallback((center: number) => {
    const p = propsRef.current;
    const session = sessionRef.current;
    if (!session || p.stack.length === 0) return;
    const first = p.stack[0]!.instance;
    // Never prefetch more than half the cache, or the stack would evict itself while loading.
    const perImage = Math.max(1, first.rows * first.columns * 2);
    const budget = Math.max(8, Math.floor(IMAGE_CACHE_BYTES / 2 / perImage));
    const order = loadOrder(center, p.stack.length).slice(1, budget);
    order.forEach((i) => {
      const id = p.stack[i]!.imageId;
      const priority = 1 + Math.abs(i - center);
      if (requestedRef.current.has(id)) {
        prioritizeImage(id, priority);
        return;
      }
      requestedRef.current.add(id);
      cornerstone.loadAndCacheImage(id, { priority, signal: session.signal }).catch(() => {
        // A failed or cancelled prefetch is retried when the slice is shown.
        requestedRef.current.delete(id);
      });
    });
  }, []);

  const show = useCallback(
    (i: number, attempt = 0) => {
      const el = element();
      const p = propsRef.current;
      const entry = p.stack[i];
      const session = sessionRef.current;
      if (!el || !entry || !session) return;
      const generation = ++showGeneration.current;
      prioritizeImage(entry.imageId, 0);
      const cached = cornerstone.imageCache.getImageLoadObject(entry.imageId);
      if (!cached) setLoading(true);
      cornerstone
        .loadAndCacheImage(entry.imageId, { priority: 0, signal: session.signal })
        .then((image: CornerstoneImage) => {
          if (generation !== showGeneration.current || sessionRef.current !== session) return;
          const firstOfSeries = seriesShownRef.current !== p.series?.id || !hasImage();
          const viewport = firstOfSeries ? cornerstone.getDefaultViewportForImage(el, image) : cornerstone.getViewport(el);
          if (firstOfSeries) seriesWindowRef.current = { width: image.windowWidth, center: image.windowCenter };
          cornerstone.displayImage(el, image, viewport);
          markFirstImageShown();
          seriesShownRef.current = p.series?.id ?? null;
          setError(null);
          setLoading(false);
          // A series' first picture reaches the screen before its neighbours are queued (queueing a whole
          // stack holds the main thread for some milliseconds); later slices queue theirs at once.
          if (firstOfSeries) afterNextPaint(() => sessionRef.current === session && prefetch(sliceRef.current));
          else prefetch(i);
        })
        .catch((err: unknown) => {
          if (generation !== showGeneration.current || sessionRef.current !== session || session.signal.aborted) return;
          // Another viewport may have cancelled a shared cached load: ask again.
          if (isAbortError(err) && attempt < 3) {
            show(i, attempt + 1);
            return;
          }
          setLoading(false);
          setError(err instanceof Error ? err.message : `This image could not be decoded: ${String(err)}`);
          el.dataset.renderedImageId = "";
          el.dataset.error = "true";
        });
    },
    [prefetch],
  );

  const setSlice = useCallback(
    (target: number, options?: { fromSync?: boolean }) => {
      const n = propsRef.current.stack.length;
      if (n === 0) return;
      const i = Math.max(0, Math.min(n - 1, Math.round(target)));
      if (i === sliceRef.current && hasImage()) return;
      sliceRef.current = i;
      setSliceState(i);
      draftRef.current = null;
      const el = element();
      if (el) el.dataset.sliceIndex = String(i);
      show(i);
      const p = propsRef.current;
      const entry = p.stack[i];
      p.onImageShown?.(p.index, p.series && entry ? { seriesId: p.series.id, instanceId: entry.instance.id } : null);
      if (!options?.fromSync) propsRef.current.onSliceChange(propsRef.current.index, i);
    },
    [show],
  );

  const scrollBy = useCallback(
    (delta: number, options?: { wrap?: boolean }) => {
      const n = propsRef.current.stack.length;
      if (n === 0) return;
      let next = sliceRef.current + delta;
      if (options?.wrap) next = ((next % n) + n) % n;
      setSlice(next);
    },
    [setSlice],
  );

  // Enable on mount, disable on unmount; re-render hooks live on the element.
  useEffect(() => {
    const el = elementRef.current;
    if (!el) return;
    cornerstone.enable(el);
    const onRendered = () => {
      const viewport = cornerstone.getViewport(el);
      const image = cornerstone.getImage(el);
      if (!viewport || !image) return;
      el.dataset.renderedImageId = image.imageId;
      el.dataset.sliceIndex = String(sliceRef.current);
      el.dataset.windowWidth = viewport.voi.windowWidth.toFixed(1);
      el.dataset.windowCenter = viewport.voi.windowCenter.toFixed(1);
      el.dataset.zoom = viewport.scale.toFixed(3);
      el.dataset.error = "false";
      setInfo({
        ww: viewport.voi.windowWidth,
        wc: viewport.voi.windowCenter,
        zoom: viewport.scale,
        rotation: viewport.rotation,
        hflip: viewport.hflip,
        vflip: viewport.vflip,
        invert: viewport.invert,
      });
      drawOverlay();
    };
    el.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    const observer = new ResizeObserver(() => {
      cornerstone.resize(el);
      drawOverlay();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      el.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      sessionRef.current?.abort();
      cornerstone.disable(el);
    };
  }, [drawOverlay]);

  // A new series: cancel everything pending for the old one, then show the initial slice.
  useEffect(() => {
    const session = new AbortController();
    sessionRef.current = session;
    requestedRef.current = new Set();
    seriesShownRef.current = null;
    const el = elementRef.current;
    if (el) {
      el.dataset.renderedImageId = "";
      el.dataset.seriesId = series?.id ?? "";
    }
    setError(null);
    const n = stack.length;
    const start = Math.max(0, Math.min(n - 1, propsRef.current.initialSlice));
    sliceRef.current = -1;
    if (n > 0) setSlice(start, { fromSync: true });
    return () => session.abort();
    // initialSlice is read once per series on purpose: later changes come through setSlice.
  }, [series?.id, stack, setSlice]);

  // Redraw the overlay when measurements, key images, the selected annotation or the draft change.
  useEffect(() => {
    drawOverlay();
  }, [measurements, keyImages, props.selectedAnnotation, drawOverlay]);

  // ---- view commands -----------------------------------------------------------------
  const updateViewport = useCallback((change: (v: CsViewport) => void) => {
    const el = element();
    if (!el || !hasImage()) return;
    const v = cornerstone.getViewport(el);
    if (!v) return;
    change(v);
    cornerstone.setViewport(el, v);
  }, []);

  const exportPng = useCallback(async () => {
    const el = element();
    const overlay = overlayRef.current;
    if (!el || !overlay || !hasImage()) return;
    const source = cornerstone.getEnabledElement(el).canvas;
    const out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    const ctx = out.getContext("2d");
    if (!ctx) return;
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    ctx.drawImage(overlay, 0, 0);
    const p = propsRef.current;
    const v = cornerstone.getViewport(el);
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "#e6e6e6";
    ctx.fillText(p.series?.description ?? "", 8, 18);
    ctx.fillText(`Im ${sliceRef.current + 1}/${p.stack.length}`, 8, 34);
    if (v) ctx.fillText(`W ${Math.round(v.voi.windowWidth)} L ${Math.round(v.voi.windowCenter)}`, 8, out.height - 10);
    const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, "image/png"));
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `casebook-${(p.series?.description ?? "image").replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-${sliceRef.current + 1}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, []);

  useImperativeHandle(
    props.controllerRef,
    (): ViewportController => ({
      getSlice: () => sliceRef.current,
      setSlice,
      scrollBy,
      setWindow: (w) =>
        updateViewport((v) => {
          v.voi.windowWidth = Math.max(1, w.width);
          v.voi.windowCenter = w.center;
        }),
      getWindow: () => {
        const el = element();
        const v = el && hasImage() ? cornerstone.getViewport(el) : undefined;
        return v ? { width: v.voi.windowWidth, center: v.voi.windowCenter } : null;
      },
      defaultWindow: () => {
        const w = seriesWindowRef.current;
        if (w) updateViewport((v) => ((v.voi.windowWidth = w.width), (v.voi.windowCenter = w.center)));
      },
      zoomBy: (f) => updateViewport((v) => (v.scale = Math.max(0.05, Math.min(40, v.scale * f)))),
      fit: () => {
        const el = element();
        if (el && hasImage()) cornerstone.fitToWindow(el);
      },
      actualSize: () =>
        updateViewport((v) => {
          v.scale = 1;
          v.translation = { x: 0, y: 0 };
        }),
      rotate: (deg) => updateViewport((v) => (v.rotation = (((v.rotation + deg) % 360) + 360) % 360)),
      flipHorizontal: () => updateViewport((v) => (v.hflip = !v.hflip)),
      flipVertical: () => updateViewport((v) => (v.vflip = !v.vflip)),
      invert: () => updateViewport((v) => (v.invert = !v.invert)),
      reset: () => {
        const el = element();
        if (!el || !hasImage()) return;
        cornerstone.reset(el);
        const w = seriesWindowRef.current;
        if (w) updateViewport((v) => ((v.voi.windowWidth = w.width), (v.voi.windowCenter = w.center)));
      },
      cancelDraft: () => {
        draftRef.current = null;
        drawOverlay();
      },
      deleteLastMeasurement: () => {
        const p = propsRef.current;
        const entry = p.stack[sliceRef.current];
        if (!entry || !p.series) return;
        const here = measurementsOn(p.measurements, p.series.id, entry.instance.id, entry.frame);
        const last = here[here.length - 1];
        if (last) p.onDeleteMeasurement(last.id);
      },
      exportPng,
      imageDirection: (screen) => {
        const el = element();
        if (!el || !hasImage()) return screen;
        const origin = cornerstone.canvasToPixel(el, { x: 0, y: 0 });
        const step = cornerstone.canvasToPixel(el, { x: screen[0] * 100, y: screen[1] * 100 });
        const [dx, dy] = [step.x - origin.x, step.y - origin.y];
        const length = Math.hypot(dx, dy) || 1;
        return [Math.round(dx / length), Math.round(dy / length)];
      },
    }),
    [setSlice, scrollBy, updateViewport, drawOverlay, exportPng],
  );

  // ---- pointer, wheel and touch ------------------------------------------------------
  const toImage = (clientX: number, clientY: number): ImagePoint => {
    const el = element()!;
    const rect = cornerstone.getEnabledElement(el).canvas.getBoundingClientRect();
    const p = cornerstone.canvasToPixel(el, { x: clientX - rect.left, y: clientY - rect.top });
    return [p.x, p.y];
  };

  const commitAnnotation = (a: Annotation | null) => {
    draftRef.current = null;
    const p = propsRef.current;
    const entry = p.stack[sliceRef.current];
    if (a && p.series && entry) p.onAddAnnotation?.({ seriesId: p.series.id, instanceId: entry.instance.id }, a);
    drawOverlay();
  };

  const commitMeasurement = (m: Measurement | null) => {
    draftRef.current = null;
    if (m) propsRef.current.onAddMeasurement(m);
    drawOverlay();
  };

  /** The measurement handle under the pointer (within 8 screen pixels) on this image, if any. */
  const findHandle = (clientX: number, clientY: number): { measurement: Measurement; handle: number } | null => {
    const el = element();
    const p = propsRef.current;
    const entry = p.stack[sliceRef.current];
    if (!el || !entry || !p.series) return null;
    const rect = cornerstone.getEnabledElement(el).canvas.getBoundingClientRect();
    const x = clientX - rect.left;
    const y = clientY - rect.top;
    let best: { measurement: Measurement; handle: number; d: number } | null = null;
    for (const m of measurementsOn(p.measurements, p.series.id, entry.instance.id, entry.frame)) {
      measurementHandles(m).forEach((h, handle) => {
        const c = cornerstone.pixelToCanvas(el, { x: h[0], y: h[1] });
        const d = Math.hypot(c.x - x, c.y - y);
        if (d <= 8 && (!best || d < best.d)) best = { measurement: m, handle, d };
      });
    }
    const found = best as { measurement: Measurement; handle: number; d: number } | null;
    return found ? { measurement: found.measurement, handle: found.handle } : null;
  };

  /** The annotation handle under the pointer (within 8 screen pixels) on this image's key image, if any. */
  const findAnnotationHandle = (clientX: number, clientY: number): { index: number; handle: number; annotation: Annotation } | null => {
    const el = element();
    const p = propsRef.current;
    const entry = p.stack[sliceRef.current];
    if (!el || !entry || !p.series) return null;
    const key = p.keyImages.find((k) => k.seriesId === p.series!.id && k.instanceId === entry.instance.id);
    if (!key) return null;
    const rect = cornerstone.getEnabledElement(el).canvas.getBoundingClientRect();
    let best: { index: number; handle: number; annotation: Annotation; d: number } | null = null;
    key.annotations.forEach((annotation, index) => {
      annotationHandles(annotation).forEach((h, handle) => {
        const c = cornerstone.pixelToCanvas(el, { x: h[0], y: h[1] });
        const d = Math.hypot(c.x - (clientX - rect.left), c.y - (clientY - rect.top));
        if (d <= 8 && (!best || d < best.d)) best = { index, handle, annotation, d };
      });
    });
    const found = best as { index: number; handle: number; annotation: Annotation; d: number } | null;
    return found ? { index: found.index, handle: found.handle, annotation: found.annotation } : null;
  };

  const measurementBase = () => {
    const p = propsRef.current;
    const entry = p.stack[sliceRef.current];
    if (!entry || !p.series) return null;
    return { id: newId(), seriesId: p.series.id, instanceId: entry.instance.id, frame: entry.frame };
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    const el = element();
    if (!el) return;
    propsRef.current.onActivate(propsRef.current.index);
    el.focus({ preventScroll: true });
    if (!hasImage()) return;
    gesturesRef.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    el.setPointerCapture(e.pointerId);
    e.preventDefault();
    const input =
      e.pointerType === "touch"
        ? ({ kind: "touch", pointers: gesturesRef.current.size } as const)
        : ({ kind: "mouse", button: e.button, shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey } as const);
    // With an annotation tool in hand, grabbing a drawn annotation's handle moves it instead of drawing a new one.
    if (e.pointerType !== "touch" && e.button === 0 && !e.shiftKey && !e.ctrlKey && !draftRef.current && isAnnotationTool(propsRef.current.primaryTool) && propsRef.current.onUpdateAnnotation) {
      const hit = findAnnotationHandle(e.clientX, e.clientY);
      if (hit) {
        annotationEditRef.current = { ...hit, pointerId: e.pointerId };
        drawOverlay();
        return;
      }
    }
    // Grabbing a measurement handle wins over any tool, as in OHIF.
    if (e.pointerType !== "touch" && e.button === 0 && !draftRef.current) {
      const hit = findHandle(e.clientX, e.clientY);
      if (hit) {
        editRef.current = { ...hit, pointerId: e.pointerId };
        drawOverlay();
        return;
      }
    }
    const action = resolveAction(input, propsRef.current.primaryTool);
    if (!action || action === "scrollSlices" || action === "zoomStep") return;
    if (action === "pinch") {
      const pts = [...gesturesRef.current.values()];
      const [a, b] = [pts[0]!, pts[1]!];
      pinchRef.current = { distance: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
      gestureRef.current = null;
      return;
    }
    const point = toImage(e.clientX, e.clientY);
    const draft = draftRef.current;
    if (isAnnotationTool(action)) {
      // A label is placed by the click itself; arrows and ellipses are dragged out.
      if (action === "label") {
        commitAnnotation(annotationFromDrag("label", point, point));
        return;
      }
      draftRef.current = { type: "annotation", tool: action, start: point, end: point };
    }
    if (action === "angle" && draft?.type === "angle" && draft.phase === "third") {
      const base = measurementBase();
      commitMeasurement(base ? { ...base, type: "angle", points: [draft.points[0], draft.points[1], point] } : null);
      return;
    }
    if (action === "length") draftRef.current = { type: "length", points: [point, point] };
    if (action === "angle") draftRef.current = { type: "angle", points: [point, point, point], phase: "first" };
    if (action === "ellipse") draftRef.current = { type: "ellipse", corner: point, other: point };
    const viewport = cornerstone.getViewport(el)!;
    gestureRef.current = {
      action,
      pointerId: e.pointerId,
      lastX: e.clientX,
      lastY: e.clientY,
      startX: e.clientX,
      startY: e.clientY,
      startWindow: { width: viewport.voi.windowWidth, center: viewport.voi.windowCenter },
      startScale: viewport.scale,
      scrollAccumulator: 0,
    };
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const el = element();
    if (!el || !hasImage()) return;
    if (gesturesRef.current.has(e.pointerId)) gesturesRef.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const edit = editRef.current;
    if (edit && edit.pointerId === e.pointerId) {
      edit.measurement = moveHandle(edit.measurement, edit.handle, toImage(e.clientX, e.clientY));
      drawOverlay();
      return;
    }
    const moving = annotationEditRef.current;
    if (moving && moving.pointerId === e.pointerId) {
      moving.annotation = moveAnnotationHandle(moving.annotation, moving.handle, toImage(e.clientX, e.clientY));
      drawOverlay();
      return;
    }
    if (!gestureRef.current && !pinchRef.current && e.pointerType !== "touch") {
      const overAnnotation = isAnnotationTool(propsRef.current.primaryTool) && !!propsRef.current.onUpdateAnnotation && !!findAnnotationHandle(e.clientX, e.clientY);
      el.style.cursor = overAnnotation || findHandle(e.clientX, e.clientY) ? "move" : "";
    }
    const draft = draftRef.current;
    if (draft?.type === "angle" && draft.phase === "third" && !gestureRef.current) {
      draft.points[2] = toImage(e.clientX, e.clientY);
      drawOverlay();
      return;
    }
    const pinch = pinchRef.current;
    if (pinch && gesturesRef.current.size >= 2) {
      const pts = [...gesturesRef.current.values()];
      const [a, b] = [pts[0]!, pts[1]!];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const midX = (a.x + b.x) / 2;
      const midY = (a.y + b.y) / 2;
      updateViewport((v) => {
        if (pinch.distance > 0) v.scale = Math.max(0.05, Math.min(40, v.scale * (distance / pinch.distance)));
        v.translation = { x: v.translation.x + (midX - pinch.midX) / v.scale, y: v.translation.y + (midY - pinch.midY) / v.scale };
      });
      pinchRef.current = { distance, midX, midY };
      return;
    }
    const g = gestureRef.current;
    if (!g || g.pointerId !== e.pointerId) return;
    const dx = e.clientX - g.lastX;
    const dy = e.clientY - g.lastY;
    g.lastX = e.clientX;
    g.lastY = e.clientY;
    switch (g.action) {
      case "windowLevel": {
        const image = cornerstone.getImage(el)!;
        const range = Math.max(1, (image.maxPixelValue - image.minPixelValue) * Math.abs(image.slope));
        const next = dragWindow(g.startWindow!, e.clientX - g.startX, e.clientY - g.startY, range);
        updateViewport((v) => {
          v.voi.windowWidth = next.width;
          v.voi.windowCenter = next.center;
        });
        break;
      }
      case "zoom":
        updateViewport((v) => (v.scale = Math.max(0.05, Math.min(40, g.startScale * Math.exp(-(e.clientY - g.startY) / 150)))));
        break;
      case "pan":
        updateViewport((v) => (v.translation = { x: v.translation.x + dx / v.scale, y: v.translation.y + dy / v.scale }));
        break;
      case "scroll": {
        const n = propsRef.current.stack.length;
        const step = Math.max(4, Math.min(20, el.clientHeight / Math.max(1, n)));
        g.scrollAccumulator += dy;
        while (Math.abs(g.scrollAccumulator) >= step) {
          const dir = Math.sign(g.scrollAccumulator);
          scrollBy(dir);
          g.scrollAccumulator -= dir * step;
        }
        break;
      }
      case "arrow":
      case "markEllipse":
      case "label":
      case "length":
      case "angle":
      case "ellipse": {
        const point = toImage(e.clientX, e.clientY);
        if (draft?.type === "annotation") draft.end = point;
        if (draft?.type === "length") draft.points[1] = point;
        if (draft?.type === "angle" && draft.phase === "first") draft.points[1] = point;
        if (draft?.type === "ellipse") draft.other = point;
        drawOverlay();
        break;
      }
      default:
        break;
    }
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    gesturesRef.current.delete(e.pointerId);
    const edit = editRef.current;
    if (edit && edit.pointerId === e.pointerId) {
      editRef.current = null;
      propsRef.current.onUpdateMeasurement(edit.measurement);
      return;
    }
    const moving = annotationEditRef.current;
    if (moving && moving.pointerId === e.pointerId) {
      annotationEditRef.current = null;
      const p = propsRef.current;
      const entry = p.stack[sliceRef.current];
      if (p.series && entry) p.onUpdateAnnotation?.({ seriesId: p.series.id, instanceId: entry.instance.id }, moving.index, moving.annotation);
      drawOverlay();
      return;
    }
    if (gesturesRef.current.size < 2) pinchRef.current = null;
    const g = gestureRef.current;
    if (!g || g.pointerId !== e.pointerId) return;
    gestureRef.current = null;
    const draft = draftRef.current;
    const base = measurementBase();
    const moved = Math.hypot(e.clientX - g.startX, e.clientY - g.startY) > 3;
    if (draft?.type === "annotation") commitAnnotation(moved ? annotationFromDrag(draft.tool, draft.start, draft.end) : null);
    else if (draft?.type === "length") commitMeasurement(moved && base ? { ...base, type: "length", points: draft.points } : null);
    else if (draft?.type === "ellipse") commitMeasurement(moved && base ? ellipseFromCorners(base, draft.corner, draft.other) : null);
    else if (draft?.type === "angle" && draft.phase === "first") {
      if (moved) {
        draft.phase = "third";
        draft.points[2] = draft.points[1];
      } else draftRef.current = null;
      drawOverlay();
    }
  };

  // Wheel needs a non-passive native listener to stop the page from scrolling.
  useEffect(() => {
    const el = elementRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if (!hasImage()) return;
      const action = resolveAction({ kind: "wheel", ctrl: e.ctrlKey || e.metaKey }, propsRef.current.primaryTool);
      const delta = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY;
      if (action === "zoomStep") {
        const factor = Math.exp(-delta / 300);
        const v = cornerstone.getViewport(el);
        if (v) {
          v.scale = Math.max(0.05, Math.min(40, v.scale * factor));
          cornerstone.setViewport(el, v);
        }
        return;
      }
      if (action !== "scrollSlices") return;
      // A mouse notch is one slice; trackpads send small deltas that add up.
      if (Math.abs(delta) >= 50) {
        scrollBy(Math.sign(delta));
        wheelAccumulator.current = 0;
        return;
      }
      wheelAccumulator.current += delta;
      if (Math.abs(wheelAccumulator.current) >= 50) {
        scrollBy(Math.sign(wheelAccumulator.current));
        wheelAccumulator.current = 0;
      }
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [scrollBy]);

  // ---- render --------------------------------------------------------------------------
  const entry = stack[slice];
  const n = stack.length;
  const instance = entry?.instance;
  const keyHere = series && instance ? keyImages.filter((k) => k.seriesId === series.id && k.instanceId === instance.id) : [];
  const onThisImage = series && entry ? measurementsOn(measurements, series.id, entry.instance.id, entry.frame) : [];
  const source = onThisImage.length > 0 ? pixelSource() : null;
  const markers = info ? orientationMarkers(instance?.orientation ?? null, info.rotation, info.hflip, info.vflip) : null;
  const label = `Viewport ${index + 1}${series ? `: ${series.description}` : ": empty"}`;

  return (
    <div
      className={`${styles.viewport} ${active ? styles.viewportActive : ""}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const id = e.dataTransfer.getData(SERIES_DRAG_TYPE);
        if (id) {
          e.preventDefault();
          props.onDropSeries(index, id);
        }
      }}
    >
      <div
        ref={elementRef}
        // An undecodable slice must not look like the previous one: the stale picture is hidden.
        className={`${styles.element} ${error ? styles.elementError : ""}`}
        tabIndex={0}
        role="img"
        aria-label={`${label}, image ${slice + 1} of ${n}`}
        data-viewport-index={index}
        data-active={active ? "true" : "false"}

        onFocus={() => props.onActivate(index)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onContextMenu={(e) => e.preventDefault()}
      />
      <canvas ref={overlayRef} className={styles.overlayCanvas} aria-hidden="true" style={error ? { visibility: "hidden" } : undefined} />
      {showOverlays && series && (
        <>
          <div className={`${styles.corner} ${styles.topLeft}`}>
            <div className={styles.strong}>{series.description || "(no description)"}</div>
            <div>
              {series.modality}
              {series.seriesNumber !== null ? ` · Se ${series.seriesNumber}` : ""}
            </div>
          </div>
          <div className={`${styles.corner} ${styles.topRight}`}>
            <div className={styles.strong} data-testid="slice-counter">
              Im {n === 0 ? 0 : slice + 1}/{n}
            </div>
            {instance?.instanceNumber !== null && instance?.instanceNumber !== undefined && <div>Inst {instance.instanceNumber}</div>}
            {entry && entry.frame > 0 && <div>Frame {entry.frame + 1}</div>}
          </div>
          <div className={`${styles.corner} ${styles.bottomLeft}`}>
            {instance?.sliceLocation !== null && instance?.sliceLocation !== undefined && <div>Loc {fmt(instance.sliceLocation)} mm</div>}
            {instance?.sliceThickness !== null && instance?.sliceThickness !== undefined && <div>Thk {fmt(instance.sliceThickness)} mm</div>}
            {onThisImage.map((m, i) => (
              <div key={m.id} className={styles.measureLine}>
                {i + 1}. {measurementText(m, source).replace("\n", " · ")}
              </div>
            ))}
          </div>
          <div className={`${styles.corner} ${styles.bottomRight}`}>
            {info && (
              <>
                <div data-testid="window-readout">
                  W {Math.round(info.ww)} L {Math.round(info.wc)}
                </div>
                <div>
                  Zoom {info.zoom.toFixed(2)}×{info.rotation ? ` · ${info.rotation}°` : ""}
                  {info.hflip ? " · FlipH" : ""}
                  {info.vflip ? " · FlipV" : ""}
                  {info.invert ? " · Inv" : ""}
                </div>
              </>
            )}
          </div>
        </>
      )}
      {showOverlays && markers && (
        <>
          <div className={`${styles.marker} ${styles.markerTop}`}>{markers.top}</div>
          <div className={`${styles.marker} ${styles.markerBottom}`}>{markers.bottom}</div>
          <div className={`${styles.marker} ${styles.markerLeft}`}>{markers.left}</div>
          <div className={`${styles.marker} ${styles.markerRight}`}>{markers.right}</div>
        </>
      )}
      {keyHere.length > 0 && keyHere.some((k) => k.caption) && (
        <div className={styles.keyCaption}>★ {keyHere.map((k) => k.caption).filter(Boolean).join(" · ")}</div>
      )}
      {n > 1 && <StackScrollbar slice={slice} count={n} onChange={(i) => setSlice(i)} onFocus={() => props.onActivate(index)} label={label} />}
      {error && (
        <div className={styles.message} role="alert">
          {error}
        </div>
      )}
      {!error && loading && series && <div className={styles.loadingBadge}>Loading…</div>}
      {!series && <div className={styles.message}>Drop a series here</div>}
    </div>
  );
}

function ellipseFromCorners(
  base: { id: string; seriesId: string; instanceId: string; frame: number },
  a: ImagePoint,
  b: ImagePoint,
): Measurement | null {
  const radius: ImagePoint = [Math.abs(b[0] - a[0]) / 2, Math.abs(b[1] - a[1]) / 2];
  if (radius[0] < 0.5 || radius[1] < 0.5) return null;
  return { ...base, type: "ellipse", center: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], radius };
}

/** The draggable stack scrollbar at the right edge; a slider for assistive technology. */
function StackScrollbar(props: { slice: number; count: number; onChange: (i: number) => void; onFocus: () => void; label: string }) {
  const { slice, count, onChange } = props;
  const trackRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const fromY = (clientY: number) => {
    const track = trackRef.current;
    if (!track) return;
    const rect = track.getBoundingClientRect();
    const f = Math.max(0, Math.min(1, (clientY - rect.top) / rect.height));
    onChange(Math.round(f * (count - 1)));
  };
  const thumbHeight = Math.max(6, 100 / count);
  const top = count > 1 ? (slice / (count - 1)) * (100 - thumbHeight) : 0;
  return (
    <div
      ref={trackRef}
      className={styles.scrollbar}
      role="slider"
      aria-label={`${props.label}: image`}
      aria-valuemin={1}
      aria-valuemax={count}
      aria-valuenow={slice + 1}
      aria-orientation="vertical"
      // Focusable for assistive technology; the arrow keys reach it through the viewer's hotkeys.
      tabIndex={0}
      onFocus={props.onFocus}
      title="Drag to scroll through the images"
      onPointerDown={(e) => {
        e.stopPropagation();
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        fromY(e.clientY);
      }}
      onPointerMove={(e) => {
        if (dragging.current) fromY(e.clientY);
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
    >
      <div className={styles.scrollThumb} style={{ top: `${top}%`, height: `${thumbHeight}%` }} />
    </div>
  );
}
