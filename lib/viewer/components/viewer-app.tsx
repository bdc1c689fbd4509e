"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { annotationAtCentre, keyImageOn, moveAnnotation, replaceKeyImage } from "../annotations";
import { matchSliceByPosition } from "../geometry";
import { ANNOTATION_HOTKEYS, commandForKey, HOTKEYS, SHAPE_HOTKEYS, SHAPE_STEP, shortcutFor, type ViewerCommand } from "../hotkeys";
import { initViewer } from "../init-viewer";
import { LAYOUTS, viewportCount, type LayoutId } from "../layouts";
import { buildStack, findStackIndex, openingIndex, type StackEntry } from "../stack";
import { ANNOTATION_TOOLS, isAnnotationTool, PRIMARY_TOOLS, type PrimaryTool } from "../tools";
import type { Annotation, CaseViewerProps, ImagePoint, KeyImage, Measurement, WindowPreset } from "../types";
import { findPresetByKey, listPresets } from "../window-level";
import { HelpSheet } from "./help-sheet";
import { KeyImageStrip, type KeyImageSaveState } from "./key-image-strip";
import { SeriesPanel } from "./series-panel";
import styles from "./viewer.module.css";
import { ViewportView, type ImageTarget, type ViewportController } from "./viewport";

const MAX_VIEWPORTS = 4;
const CALLBACK_DEBOUNCE_MS = 600;
/** Typing in a caption or an annotation's text is saved this long after the last key. */
const TEXT_SAVE_MS = 700;

function useDebounced<T>(callback: ((value: T) => void) | undefined, ms: number): (value: T) => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(callback);
  latest.current = callback;
  const pending = useRef<{ value: T } | null>(null);
  useEffect(
    () => () => {
      // Flush on unmount so the last edit is not lost when the user navigates away.
      if (timer.current) clearTimeout(timer.current);
      if (pending.current) latest.current?.(pending.current.value);
    },
    [],
  );
  return useCallback(
    (value: T) => {
      pending.current = { value };
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        pending.current = null;
        latest.current?.(value);
      }, ms);
    },
    [ms],
  );
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The whole viewer: toolbar, series panel, viewport grid, hotkeys. Browser only (cornerstone). */
export default function ViewerApp(props: CaseViewerProps) {
  initViewer();
  const { series } = props;
  const editing = props.keyImageEditing;
  const shownKeyImages = useMemo(() => props.keyImages ?? [], [props.keyImages]);
  // The editor's copy, changed at once by each edit and saved behind it; elsewhere the props are the truth.
  const [editedKeyImages, setEditedKeyImages] = useState<KeyImage[]>(shownKeyImages);
  const keyImages = editing ? editedKeyImages : shownKeyImages;
  const stacks = useMemo(() => new Map<string, StackEntry[]>(series.map((s) => [s.id, buildStack(s)])), [series]);

  const [layout, setLayout] = useState<LayoutId>("1x1");
  const [assignments, setAssignments] = useState<(string | null)[]>(() =>
    Array.from({ length: MAX_VIEWPORTS }, (_, i) => (series.length ? series[i % series.length]!.id : null)),
  );
  const [active, setActive] = useState(0);
  const [primaryTool, setPrimaryTool] = useState<PrimaryTool>("windowLevel");
  const [showOverlays, setShowOverlays] = useState(true);
  const [syncEnabled, setSyncEnabled] = useState(true);
  const [cine, setCine] = useState({ playing: false, fps: 10 });
  const [helpOpen, setHelpOpen] = useState(false);
  const [measurements, setMeasurements] = useState<Measurement[]>(() => props.initialMeasurements ?? []);
  const [userPresets, setUserPresets] = useState<WindowPreset[]>(() => props.userPresets ?? []);
  const [presetName, setPresetName] = useState("");
  const controllers = useRef<(ViewportController | null)[]>([]);
  const lastScrolled = useRef(0);
  // A slice a viewport must open at (key-image links), taking precedence over sync once.
  const pendingSlice = useRef(new Map<number, number>());
  const rootRef = useRef<HTMLDivElement>(null);
  const presetsMenuRef = useRef<HTMLDetailsElement>(null);
  // The image each viewport shows now, and the active one's (the image the key-image tools act on).
  const shownImages = useRef<(ImageTarget | null)[]>([]);
  const [currentImage, setCurrentImage] = useState<ImageTarget | null>(null);
  const [selectedAnnotation, setSelectedAnnotation] = useState<number | null>(null);
  const [keyImageSave, setKeyImageSave] = useState<KeyImageSaveState>({ kind: "idle" });
  const keyImagesRef = useRef(keyImages);
  keyImagesRef.current = keyImages;
  const saveQueue = useRef<Promise<unknown>>(Promise.resolve());
  const textTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const activeRef = useRef(active);
  activeRef.current = active;

  const emitMeasurements = useDebounced(props.onMeasurementsChange, CALLBACK_DEBOUNCE_MS);
  const emitPresets = useDebounced(props.onUserPresetsChange, CALLBACK_DEBOUNCE_MS);

  const count = viewportCount(layout);
  const presets = useMemo(() => listPresets(userPresets), [userPresets]);
  const activeController = () => controllers.current[active] ?? null;

  // Where a viewport starts: level with the active viewport when they share a frame of reference
  // and sync is on; else the first key image of its series; else the middle slice.
  const initialSliceFor = (viewport: number, seriesId: string | null): number => {
    const stack = seriesId ? stacks.get(seriesId) : undefined;
    if (!seriesId || !stack || stack.length === 0) return 0;
    const pending = pendingSlice.current.get(viewport);
    if (pending !== undefined) return pending;
    const target = series.find((s) => s.id === seriesId);
    if (syncEnabled && target?.frameOfReferenceUid) {
      // Follow the viewport the user scrolled last, else any other one on the same frame of reference.
      const candidates = [lastScrolled.current, active, ...Array.from({ length: count }, (_, i) => i)];
      for (const source of candidates) {
        if (source === viewport || source >= count) continue;
        const sourceSeries = series.find((s) => s.id === assignments[source]);
        const controller = controllers.current[source];
        if (!controller || sourceSeries?.frameOfReferenceUid !== target.frameOfReferenceUid) continue;
        const entry = stacks.get(sourceSeries.id)?.[controller.getSlice()];
        const match = entry ? matchSliceByPosition(entry.geometry, stack.map((e) => e.geometry)) : null;
        if (match !== null) return match;
      }
    }
    return openingIndex(stack, seriesId, keyImages);
  };

  const updateMeasurements = useCallback(
    (change: (m: Measurement[]) => Measurement[]) => {
      setMeasurements((prev) => {
        const next = change(prev);
        emitMeasurements(next);
        return next;
      });
    },
    [emitMeasurements],
  );

  const updatePresets = (next: WindowPreset[]) => {
    setUserPresets(next);
    emitPresets(next);
  };

  // Synchronized scrolling: other viewports on the same frame of reference follow by position.
  const onSliceChange = useCallback(
    (source: number, slice: number) => {
      lastScrolled.current = source;
      if (!syncEnabled) return;
      const sourceSeries = series.find((s) => s.id === assignments[source]);
      const entry = sourceSeries ? stacks.get(sourceSeries.id)?.[slice] : undefined;
      if (!sourceSeries?.frameOfReferenceUid || !entry) return;
      for (let i = 0; i < count; i++) {
        if (i === source) continue;
        const target = series.find((s) => s.id === assignments[i]);
        if (!target || target.frameOfReferenceUid !== sourceSeries.frameOfReferenceUid) continue;
        const stack = stacks.get(target.id) ?? [];
        const match = matchSliceByPosition(entry.geometry, stack.map((e) => e.geometry));
        if (match !== null) controllers.current[i]?.setSlice(match, { fromSync: true });
      }
    },
    [syncEnabled, series, assignments, stacks, count],
  );

  const assign = useCallback((viewport: number, seriesId: string) => {
    setAssignments((prev) => prev.map((id, i) => (i === viewport ? seriesId : id)));
    setActive(viewport);
  }, []);

  const showKeyImage = (key: KeyImage) => {
    const index = findStackIndex(stacks.get(key.seriesId) ?? [], key.instanceId);
    if (index < 0) return;
    if (assignments[active] === key.seriesId) {
      controllers.current[active]?.setSlice(index);
      return;
    }
    pendingSlice.current.set(active, index);
    assign(active, key.seriesId);
  };

  const onImageShown = useCallback((viewport: number, target: ImageTarget | null) => {
    shownImages.current[viewport] = target;
    if (viewport === activeRef.current) setCurrentImage((prev) => (prev?.instanceId === target?.instanceId && prev?.seriesId === target?.seriesId ? prev : target));
  }, []);

  useEffect(() => {
    setCurrentImage(shownImages.current[active] ?? null);
  }, [active]);

  useEffect(() => {
    setSelectedAnnotation(null);
  }, [currentImage]);

  /** Sends an image's key image as it is now (or its removal), one request at a time, in order. */
  const sendKeyImage = useCallback(
    (target: ImageTarget) => {
      if (!editing) return;
      const task = async () => {
        const key = keyImageOn(keyImagesRef.current, target.seriesId, target.instanceId);
        const emptyLabel = key?.annotations.findIndex((a) => a.type === "text" && a.text.trim() === "") ?? -1;
        if (emptyLabel >= 0) {
          setKeyImageSave({ kind: "failed", message: `text label ${emptyLabel + 1} needs some text` });
          return;
        }
        setKeyImageSave({ kind: "saving" });
        let problem: string | null;
        try {
          problem = key ? await editing.save(key) : await editing.remove(target);
        } catch {
          problem = "the server did not answer";
        }
        setKeyImageSave(problem ? { kind: "failed", message: problem } : { kind: "saved", at: new Date() });
      };
      const next = saveQueue.current.then(task);
      saveQueue.current = next.catch(() => undefined);
    },
    [editing],
  );

  /** Changes one image's key image locally, then saves it: at once, or after typing pauses (`debounce`). */
  const changeKeyImage = useCallback(
    (target: ImageTarget, change: (current: KeyImage | undefined) => KeyImage | null, debounce = false) => {
      const next = replaceKeyImage(keyImagesRef.current, target, change(keyImageOn(keyImagesRef.current, target.seriesId, target.instanceId)));
      keyImagesRef.current = next;
      setEditedKeyImages(next);
      const id = `${target.seriesId}/${target.instanceId}`;
      clearTimeout(textTimers.current.get(id));
      textTimers.current.delete(id);
      if (!debounce) {
        sendKeyImage(target);
        return;
      }
      setKeyImageSave({ kind: "pending" });
      textTimers.current.set(
        id,
        setTimeout(() => {
          textTimers.current.delete(id);
          sendKeyImage(target);
        }, TEXT_SAVE_MS),
      );
    },
    [sendKeyImage],
  );

  // Typing still waiting for its save goes out when the viewer closes (leaving the editor, say).
  useEffect(() => {
    const timers = textTimers.current;
    return () => {
      for (const [id, timer] of timers) {
        clearTimeout(timer);
        const [seriesId, instanceId] = id.split("/") as [string, string];
        sendKeyImage({ seriesId, instanceId });
      }
    };
  }, [sendKeyImage]);

  const addAnnotation = useCallback(
    (target: ImageTarget, annotation: Annotation) => {
      if (!editing) return;
      let index = 0;
      changeKeyImage(target, (k) => {
        const base = k ?? { ...target, caption: "", annotations: [] };
        index = base.annotations.length;
        return { ...base, annotations: [...base.annotations, annotation] };
      });
      setSelectedAnnotation(index);
      // A new label's text is selected for the author to type over.
      if (annotation.type === "text") {
        requestAnimationFrame(() => {
          const input = rootRef.current?.querySelector<HTMLInputElement>(`[data-annotation-text="${index}"]`);
          input?.focus();
          input?.select();
        });
      }
    },
    [editing, changeKeyImage],
  );

  const updateAnnotation = useCallback(
    (target: ImageTarget, index: number, annotation: Annotation) => {
      changeKeyImage(target, (k) => (k ? { ...k, annotations: k.annotations.map((x, i) => (i === index ? annotation : x)) } : null));
      setSelectedAnnotation(index);
    },
    [changeKeyImage],
  );

  /** Focuses the annotation list's entry for a shape (its select button), or the viewport when there is none. */
  const focusShapeEntry = (index: number | null) => {
    requestAnimationFrame(() => {
      const entry = index === null ? null : rootRef.current?.querySelector<HTMLElement>(`[data-annotation-select="${index}"]`);
      (entry ?? rootRef.current?.querySelector<HTMLElement>(`[data-viewport-index="${activeRef.current}"]`))?.focus();
    });
  };

  /** Selects the next (`step` 1) or previous (-1) shape on the image shown, wrapping around. */
  const selectShape = (step: 1 | -1) => {
    const key = currentImage ? keyImageOn(keyImages, currentImage.seriesId, currentImage.instanceId) : undefined;
    const n = key?.annotations.length ?? 0;
    if (!editing || n === 0) return;
    const next = selectedAnnotation === null ? (step === 1 ? 0 : n - 1) : (selectedAnnotation + step + n) % n;
    setSelectedAnnotation(next);
    focusShapeEntry(next);
  };

  /** Moves the selected shape one step (or ten with Shift) in a screen direction; saved when the keys pause. */
  const moveSelectedShape = (screen: ImagePoint, large: boolean) => {
    const entry = stacks.get(assignments[active] ?? "")?.[activeController()?.getSlice() ?? -1];
    const index = selectedAnnotation;
    if (!editing || !currentImage || !entry || index === null) return;
    const [x, y] = activeController()?.imageDirection(screen) ?? screen;
    const step = large ? SHAPE_STEP.large : SHAPE_STEP.small;
    changeKeyImage(
      currentImage,
      (k) => (k ? { ...k, annotations: k.annotations.map((a, i) => (i === index ? moveAnnotation(a, [x * step, y * step], entry.instance.columns, entry.instance.rows) : a)) } : null),
      true,
    );
  };

  /** Deletes the selected shape; focus goes to the entry that takes its place in the list (or the viewport). */
  const deleteSelectedShape = () => {
    const index = selectedAnnotation;
    const key = currentImage ? keyImageOn(keyImages, currentImage.seriesId, currentImage.instanceId) : undefined;
    if (!editing || !currentImage || !key || index === null) return;
    changeKeyImage(currentImage, (k) => (k ? { ...k, annotations: k.annotations.filter((_, i) => i !== index) } : null));
    setSelectedAnnotation(null);
    const left = key.annotations.length - 1;
    focusShapeEntry(left === 0 ? null : Math.min(index, left - 1));
  };

  /** Moves key image `index` one place up or down, at once on screen, then stores the new order behind it. */
  const moveKeyImage = (index: number, delta: -1 | 1) => {
    const list = keyImagesRef.current;
    const other = index + delta;
    if (!editing || other < 0 || other >= list.length) return;
    const next = list.map((k, i) => (i === index ? list[other]! : i === other ? list[index]! : k));
    keyImagesRef.current = next;
    setEditedKeyImages(next);
    // The button that was pressed moved with its key image: keep the focus on it, for the next press.
    requestAnimationFrame(() => {
      const button = (direction: string) => rootRef.current?.querySelector<HTMLButtonElement>(`[aria-label="Move key image ${other + 1} ${direction}"]`);
      const same = button(delta < 0 ? "up" : "down");
      (same && !same.disabled ? same : button(delta < 0 ? "down" : "up"))?.focus();
    });
    const task = async () => {
      setKeyImageSave({ kind: "saving" });
      let problem: string | null;
      try {
        problem = await editing.reorder(next.map((k) => k.instanceId));
      } catch {
        problem = "the server did not answer";
      }
      setKeyImageSave(problem ? { kind: "failed", message: problem } : { kind: "saved", at: new Date() });
    };
    const queued = saveQueue.current.then(task);
    saveQueue.current = queued.catch(() => undefined);
  };

  const toggleKeyImage = () => {
    const target = currentImage;
    if (!editing || !target) return;
    changeKeyImage(target, (k) => (k ? null : { ...target, caption: "", annotations: [] }));
  };

  const applyPreset = (preset: WindowPreset | undefined) => {
    if (preset) activeController()?.setWindow({ width: preset.width, center: preset.center });
  };

  const saveCurrentAsPreset = () => {
    const w = activeController()?.getWindow();
    if (!w || userPresets.length >= 3) return;
    const name = presetName.trim() || `W${Math.round(w.width)} L${Math.round(w.center)}`;
    const id = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `p-${Date.now()}`;
    updatePresets([...userPresets, { id, name, width: Math.round(w.width), center: Math.round(w.center) }]);
    setPresetName("");
  };

  const run = (command: ViewerCommand, options: { shift?: boolean } = {}) => {
    const c = activeController();
    const stackLength = (stacks.get(assignments[active] ?? "") ?? []).length;
    const page = Math.max(1, Math.round(stackLength / 10));
    const tool = [...PRIMARY_TOOLS, ...(editing ? ANNOTATION_TOOLS : [])].find((t) => t.command === command);
    if (tool) {
      setPrimaryTool(tool.tool);
      c?.cancelDraft();
      return;
    }
    if (command.startsWith("preset")) {
      applyPreset(findPresetByKey(presets, command.slice("preset".length)));
      return;
    }
    switch (command) {
      case "nextImage": return c?.scrollBy(1);
      case "previousImage": return c?.scrollBy(-1);
      case "pageDown": return c?.scrollBy(page);
      case "pageUp": return c?.scrollBy(-page);
      case "firstImage": return c?.setSlice(0);
      case "lastImage": return c?.setSlice(stackLength - 1);
      case "nextViewport": return setActive((a) => (a + 1) % count);
      case "previousViewport": return setActive((a) => (a - 1 + count) % count);
      case "defaultWindow": return c?.defaultWindow();
      case "zoomIn": return c?.zoomBy(1.25);
      case "zoomOut": return c?.zoomBy(0.8);
      case "fitToWindow": return c?.fit();
      case "actualSize": return c?.actualSize();
      case "rotateRight": return c?.rotate(90);
      case "rotateLeft": return c?.rotate(-90);
      case "flipHorizontal": return c?.flipHorizontal();
      case "flipVertical": return c?.flipVertical();
      case "invert": return c?.invert();
      case "reset": return c?.reset();
      case "toggleCine": return setCine((s) => ({ ...s, playing: !s.playing }));
      case "cineSlower": return setCine((s) => ({ ...s, fps: Math.max(1, s.fps - 2) }));
      case "cineFaster": return setCine((s) => ({ ...s, fps: Math.min(60, s.fps + 2) }));
      case "toggleOverlays": return setShowOverlays((v) => !v);
      case "toggleSync": return setSyncEnabled((v) => !v);
      case "deleteMeasurement": {
        // With an annotation tool in hand, Delete removes the selected annotation (or the last one) of this image.
        const key = currentImage ? keyImageOn(keyImages, currentImage.seriesId, currentImage.instanceId) : undefined;
        if (editing && isAnnotationTool(primaryTool) && currentImage && key && key.annotations.length > 0) {
          const doomed = selectedAnnotation ?? key.annotations.length - 1;
          changeKeyImage(currentImage, (k) => (k ? { ...k, annotations: k.annotations.filter((_, i) => i !== doomed) } : null));
          setSelectedAnnotation(null);
          return;
        }
        return c?.deleteLastMeasurement();
      }
      case "toggleKeyImage": return toggleKeyImage();
      case "selectNextShape": return selectShape(1);
      case "selectPreviousShape": return selectShape(-1);
      case "moveShapeLeft":
      case "moveShapeRight":
      case "moveShapeUp":
      case "moveShapeDown":
        return moveSelectedShape(SHAPE_MOVES[command]!, options.shift === true);
      case "deleteShape": return deleteSelectedShape();
      case "placeAnnotation": {
        const entry = stacks.get(assignments[active] ?? "")?.[c?.getSlice() ?? -1];
        if (editing && currentImage && entry && isAnnotationTool(primaryTool)) {
          addAnnotation(currentImage, annotationAtCentre(primaryTool, entry.instance.columns, entry.instance.rows));
        }
        return;
      }
      case "exportPng": return void c?.exportPng();
      case "toggleHelp": return setHelpOpen((v) => !v);
      case "cancel":
        if (helpOpen) rootRef.current?.querySelector<HTMLElement>(`[data-viewport-index="${active}"]`)?.focus();
        setHelpOpen(false);
        if (presetsMenuRef.current) presetsMenuRef.current.open = false;
        setSelectedAnnotation(null);
        return c?.cancelDraft();
      default:
        return undefined;
    }
  };
  const runRef = useRef(run);
  runRef.current = run;
  const hotkeys = useMemo(() => (editing ? [...HOTKEYS, ...ANNOTATION_HOTKEYS, ...SHAPE_HOTKEYS] : HOTKEYS), [editing]);
  // While a shape is selected, its keys (arrows, Delete) come first; otherwise they navigate as usual.
  const activeHotkeys = useMemo(() => (editing && selectedAnnotation !== null ? [...SHAPE_HOTKEYS, ...hotkeys] : hotkeys), [editing, selectedAnnotation, hotkeys]);
  const hotkeysRef = useRef(activeHotkeys);
  hotkeysRef.current = activeHotkeys;

  // Hotkeys: one listener on the document, so keys work wherever focus is inside the page.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      // Only keys aimed at the viewer (or at nothing in particular): the rest of the case page keeps its keys.
      const root = rootRef.current;
      if (!root || !(e.target === document.body || (e.target instanceof Node && root.contains(e.target)))) return;
      const command = commandForKey(e, hotkeysRef.current);
      if (!command) return;
      // Space and Enter on a focused button press the button, as the user expects.
      if (e.target instanceof HTMLButtonElement && (e.key === " " || e.key === "Enter")) return;
      if (e.target instanceof HTMLElement && e.target.tagName === "SUMMARY" && e.key === " ") return;
      e.preventDefault();
      runRef.current(command, { shift: e.shiftKey });
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  // Cine: advance the active viewport; synchronized viewports follow through onSliceChange.
  useEffect(() => {
    if (!cine.playing) return;
    const timer = setInterval(() => controllers.current[active]?.scrollBy(1, { wrap: true }), 1000 / cine.fps);
    return () => clearInterval(timer);
  }, [cine.playing, cine.fps, active]);

  useEffect(() => {
    if (active >= count) setActive(0);
  }, [active, count]);

  // The presets menu closes when the user clicks elsewhere, like any menu.
  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      const menu = presetsMenuRef.current;
      if (menu?.open && e.target instanceof Node && !menu.contains(e.target)) menu.open = false;
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, []);

  // Viewports read their opening slice while mounting (child effects run first): then forget it.
  useEffect(() => {
    pendingSlice.current.clear();
  }, [assignments]);

  const button = (command: ViewerCommand, text: string, label: string, pressed?: boolean) => {
    const key = shortcutFor(command);
    return (
      <button
        key={command}
        type="button"
        className={styles.button}
        onClick={() => run(command)}
        aria-label={label}
        title={key ? `${label} (${key})` : label}
        aria-pressed={pressed}
      >
        {text}
      </button>
    );
  };

  const layoutDef = LAYOUTS.find((l) => l.id === layout)!;

  return (
    <div ref={rootRef} className={`${styles.root} ${editing ? styles.rootEditing : ""}`} data-testid="case-viewer" data-layout={layout} data-active-viewport={active} data-measurement-count={measurements.length}>
      <div className={styles.toolbar} role="toolbar" aria-label="Viewer tools">
        <div className={styles.group} role="group" aria-label="Layout">
          {LAYOUTS.map((l) => (
            <button
              key={l.id}
              type="button"
              className={styles.button}
              aria-pressed={layout === l.id}
              aria-label={`Layout ${l.label}`}
              title={`Layout ${l.label}`}
              onClick={() => setLayout(l.id)}
            >
              {l.label}
            </button>
          ))}
        </div>
        <div className={styles.group} role="group" aria-label="Left mouse tool">
          {PRIMARY_TOOLS.map((t) => button(t.command, t.short, `${t.label} tool`, primaryTool === t.tool))}
        </div>
        {editing && (
          <div className={styles.group} role="group" aria-label="Key image annotation">
            {ANNOTATION_TOOLS.map((t) => button(t.command, t.short, `${t.label} tool`, primaryTool === t.tool))}
          </div>
        )}
        <details ref={presetsMenuRef} className={`${styles.group} ${styles.menu}`}>
          <summary className={styles.summary} aria-label="Window presets" title="Window presets (1-9, 0 = series default)">
            Presets ▾
          </summary>
          <div className={styles.menuBody}>
            <div className={styles.presetRow}>
              <span className={styles.presetKey}>0</span>
              <button type="button" className={`${styles.button} ${styles.presetButton}`} onClick={() => run("defaultWindow")} aria-label="Series default window">
                Series default
              </button>
            </div>
            {presets.map((p) => {
              const isUser = userPresets.some((u) => u.id === p.id);
              return (
                <div key={p.id} className={styles.presetRow}>
                  <span className={styles.presetKey}>{p.key ?? ""}</span>
                  <button
                    type="button"
                    className={`${styles.button} ${styles.presetButton}`}
                    onClick={() => applyPreset(p)}
                    aria-label={`Preset ${p.name}: width ${p.width}, level ${p.center}`}
                    title={p.key ? `${p.name} (${p.key})` : p.name}
                    data-preset-id={p.id}
                  >
                    {p.name} <span className={styles.presetKey}>{p.width}/{p.center}</span>
                  </button>
                  {isUser && (
                    <button
                      type="button"
                      className={styles.button}
                      onClick={() => updatePresets(userPresets.filter((u) => u.id !== p.id))}
                      aria-label={`Delete preset ${p.name}`}
                      title={`Delete preset ${p.name}`}
                    >
                      ✕
                    </button>
                  )}
                </div>
              );
            })}
            <form
              className={styles.saveForm}
              onSubmit={(e) => {
                e.preventDefault();
                saveCurrentAsPreset();
              }}
            >
              <input
                className={styles.input}
                value={presetName}
                onChange={(e) => setPresetName(e.target.value)}
                placeholder="Name for current W/L"
                aria-label="Name of the new preset"
                maxLength={40}
              />
              <button type="submit" className={styles.button} disabled={userPresets.length >= 3} title="Save the active viewport's window as a preset (up to 3)">
                Save
              </button>
            </form>
          </div>
        </details>
        <div className={styles.group} role="group" aria-label="View">
          {button("zoomIn", "＋", "Zoom in")}
          {button("zoomOut", "－", "Zoom out")}
          {button("fitToWindow", "Fit", "Fit to window")}
          {button("actualSize", "1:1", "Actual size, one image pixel per screen pixel")}
          {button("rotateLeft", "⟲", "Rotate left")}
          {button("rotateRight", "⟳", "Rotate right")}
          {button("flipHorizontal", "⇋", "Flip horizontal")}
          {button("flipVertical", "⇵", "Flip vertical")}
          {button("invert", "Inv", "Invert")}
          {button("reset", "Reset", "Reset view")}
        </div>
        <div className={styles.group} role="group" aria-label="Cine">
          {button("toggleCine", cine.playing ? "❚❚" : "▶", cine.playing ? "Stop cine" : "Play cine", cine.playing)}
          <input
            className={styles.fps}
            type="range"
            min={1}
            max={60}
            value={cine.fps}
            onChange={(e) => setCine((s) => ({ ...s, fps: Number(e.target.value) }))}
            aria-label="Cine frame rate (frames per second)"
            title="Cine frame rate ([ slower, ] faster)"
          />
          <span className={styles.fpsLabel} aria-hidden="true">
            {cine.fps} fps
          </span>
        </div>
        <div className={styles.group} role="group" aria-label="Display">
          {button("toggleOverlays", "Info", "Show overlays", showOverlays)}
          {button("toggleSync", "Sync", "Synchronized scrolling", syncEnabled)}
          {button("exportPng", "PNG", "Export active viewport as PNG")}
          {button("toggleHelp", "?", "Keyboard shortcuts", helpOpen)}
        </div>
      </div>
      <SeriesPanel
        series={series}
        stacks={stacks}
        shownSeriesIds={assignments.slice(0, count).filter((s): s is string => s !== null)}
        onSelect={(id) => assign(active, id)}
        keyImages={keyImages}
        onSelectKeyImage={showKeyImage}
        onMoveKeyImage={editing ? moveKeyImage : undefined}
      />
      <div
        className={styles.grid}
        style={{ gridTemplateColumns: `repeat(${layoutDef.columns}, 1fr)`, gridTemplateRows: `repeat(${layoutDef.rows}, 1fr)` }}
      >
        {Array.from({ length: count }, (_, i) => {
          const seriesId = assignments[i] ?? null;
          const s = series.find((x) => x.id === seriesId) ?? null;
          return (
            <ViewportView
              key={`${i}:${seriesId ?? ""}`}
              index={i}
              series={s}
              stack={(s && stacks.get(s.id)) ?? EMPTY_STACK}
              initialSlice={initialSliceFor(i, seriesId)}
              active={i === active}
              primaryTool={primaryTool}
              showOverlays={showOverlays}
              measurements={measurements}
              keyImages={keyImages}
              onAddAnnotation={editing ? addAnnotation : undefined}
              onUpdateAnnotation={editing ? updateAnnotation : undefined}
              selectedAnnotation={editing && currentImage && selectedAnnotation !== null && i === active ? { instanceId: currentImage.instanceId, index: selectedAnnotation } : null}
              onImageShown={onImageShown}
              controllerRef={(c) => {
                controllers.current[i] = c;
              }}
              onActivate={setActive}
              onSliceChange={onSliceChange}
              onAddMeasurement={(m) => updateMeasurements((prev) => [...prev, m])}
              onDeleteMeasurement={(id) => updateMeasurements((prev) => prev.filter((m) => m.id !== id))}
              onUpdateMeasurement={(m) => updateMeasurements((prev) => prev.map((x) => (x.id === m.id ? m : x)))}
              onDropSeries={assign}
            />
          );
        })}
      </div>
      {editing && (
        <KeyImageStrip
          target={currentImage}
          keyImage={currentImage ? keyImageOn(keyImages, currentImage.seriesId, currentImage.instanceId) : undefined}
          keyImageCount={keyImages.length}
          selected={selectedAnnotation}
          onSelect={setSelectedAnnotation}
          onChange={(change, debounce) => currentImage && changeKeyImage(currentImage, change, debounce)}
          onToggle={toggleKeyImage}
          save={keyImageSave}
          toolHint={isAnnotationTool(primaryTool) ? ANNOTATION_TOOLS.find((t) => t.tool === primaryTool)!.label : null}
        />
      )}
      {helpOpen && (
        <HelpSheet
          hotkeys={hotkeys}
          onClose={() => {
            setHelpOpen(false);
            // Back to the picture, so the keys keep working where the user left off.
            rootRef.current?.querySelector<HTMLElement>(`[data-viewport-index="${active}"]`)?.focus();
          }}
        />
      )}
    </div>
  );
}

const EMPTY_STACK: StackEntry[] = [];

/** The screen direction of each arrow-key command that moves the selected shape. */
const SHAPE_MOVES: Partial<Record<ViewerCommand, ImagePoint>> = {
  moveShapeLeft: [-1, 0],
  moveShapeRight: [1, 0],
  moveShapeUp: [0, -1],
  moveShapeDown: [0, 1],
};

// For CaseViewer, which loads this module: the first image is decoded while the viewer renders.
export { warmImage } from "../init-viewer";
