/** Every viewer command and the keys bound to it: one table, shown as is in the "?" help sheet. */

export type ViewerCommand =
  | "nextImage" | "previousImage" | "pageDown" | "pageUp" | "firstImage" | "lastImage"
  | "toolWindowLevel" | "toolScroll" | "toolZoom" | "toolPan" | "toolLength" | "toolAngle" | "toolEllipse"
  | "preset1" | "preset2" | "preset3" | "preset4" | "preset5" | "preset6" | "preset7" | "preset8" | "preset9"
  | "defaultWindow" | "zoomIn" | "zoomOut" | "fitToWindow" | "actualSize"
  | "rotateRight" | "rotateLeft" | "flipHorizontal" | "flipVertical" | "invert" | "reset"
  | "toggleCine" | "cineSlower" | "cineFaster" | "toggleOverlays" | "toggleSync"
  | "nextViewport" | "previousViewport" | "deleteMeasurement" | "cancel" | "exportPng" | "toggleHelp"
  | "toolArrow" | "toolMarkEllipse" | "toolLabel" | "toggleKeyImage" | "placeAnnotation"
  | "selectNextShape" | "selectPreviousShape" | "moveShapeLeft" | "moveShapeRight" | "moveShapeUp" | "moveShapeDown" | "deleteShape";

export type Hotkey = {
  command: ViewerCommand;
  /** Values of KeyboardEvent.key, matched exactly (so "E" is Shift+e). No Ctrl/Alt/Meta. */
  keys: readonly string[];
  label: string;
  group: "Navigation" | "Tools" | "Window" | "View" | "Cine" | "Other" | "Annotate" | "Selected shape";
};

// OHIF defaults where OHIF has one: arrows, Home/End, r/l, h/v, i, +/-/=, space, w/z/p, 1-9 presets.
export const HOTKEYS: readonly Hotkey[] = [
  { command: "nextImage", keys: ["ArrowDown", "ArrowRight"], label: "Next image", group: "Navigation" },
  { command: "previousImage", keys: ["ArrowUp", "ArrowLeft"], label: "Previous image", group: "Navigation" },
  { command: "pageDown", keys: ["PageDown"], label: "Jump forward 10%", group: "Navigation" },
  { command: "pageUp", keys: ["PageUp"], label: "Jump back 10%", group: "Navigation" },
  { command: "firstImage", keys: ["Home"], label: "First image", group: "Navigation" },
  { command: "lastImage", keys: ["End"], label: "Last image", group: "Navigation" },
  { command: "nextViewport", keys: ["."], label: "Next viewport", group: "Navigation" },
  { command: "previousViewport", keys: [","], label: "Previous viewport", group: "Navigation" },
  { command: "toolWindowLevel", keys: ["w"], label: "Window/level tool (left drag)", group: "Tools" },
  { command: "toolScroll", keys: ["s"], label: "Scroll tool (left drag)", group: "Tools" },
  { command: "toolZoom", keys: ["z"], label: "Zoom tool (left drag)", group: "Tools" },
  { command: "toolPan", keys: ["p"], label: "Pan tool (left drag)", group: "Tools" },
  { command: "toolLength", keys: ["m"], label: "Length measurement", group: "Tools" },
  { command: "toolAngle", keys: ["a"], label: "Angle measurement", group: "Tools" },
  { command: "toolEllipse", keys: ["e"], label: "Elliptical ROI", group: "Tools" },
  { command: "deleteMeasurement", keys: ["Delete", "Backspace"], label: "Delete last measurement on this image", group: "Tools" },
  { command: "preset1", keys: ["1"], label: "Preset 1: soft tissue 400/40", group: "Window" },
  { command: "preset2", keys: ["2"], label: "Preset 2: lung 1500/-600", group: "Window" },
  { command: "preset3", keys: ["3"], label: "Preset 3: bone 2500/480", group: "Window" },
  { command: "preset4", keys: ["4"], label: "Preset 4: brain 80/40", group: "Window" },
  { command: "preset5", keys: ["5"], label: "Preset 5: liver 150/90", group: "Window" },
  { command: "preset6", keys: ["6"], label: "Preset 6: mediastinum 350/50", group: "Window" },
  { command: "preset7", keys: ["7"], label: "User preset 1", group: "Window" },
  { command: "preset8", keys: ["8"], label: "User preset 2", group: "Window" },
  { command: "preset9", keys: ["9"], label: "User preset 3", group: "Window" },
  { command: "defaultWindow", keys: ["0"], label: "Series default window", group: "Window" },
  { command: "invert", keys: ["i"], label: "Invert", group: "Window" },
  { command: "zoomIn", keys: ["+"], label: "Zoom in", group: "View" },
  { command: "zoomOut", keys: ["-"], label: "Zoom out", group: "View" },
  { command: "fitToWindow", keys: ["="], label: "Fit to window", group: "View" },
  { command: "actualSize", keys: ["x"], label: "1:1 pixels", group: "View" },
  { command: "rotateRight", keys: ["r"], label: "Rotate 90° right", group: "View" },
  { command: "rotateLeft", keys: ["l"], label: "Rotate 90° left", group: "View" },
  { command: "flipHorizontal", keys: ["h"], label: "Flip horizontal", group: "View" },
  { command: "flipVertical", keys: ["v"], label: "Flip vertical", group: "View" },
  { command: "reset", keys: [" "], label: "Reset view", group: "View" },
  { command: "toggleOverlays", keys: ["o"], label: "Show/hide overlays", group: "View" },
  { command: "toggleSync", keys: ["y"], label: "Synchronized scrolling on/off", group: "View" },
  { command: "toggleCine", keys: ["c"], label: "Play/stop cine", group: "Cine" },
  { command: "cineSlower", keys: ["["], label: "Cine slower", group: "Cine" },
  { command: "cineFaster", keys: ["]"], label: "Cine faster", group: "Cine" },
  { command: "exportPng", keys: ["E"], label: "Export active viewport as PNG (Shift+E)", group: "Other" },
  { command: "toggleHelp", keys: ["?"], label: "Show/hide this help", group: "Other" },
  { command: "cancel", keys: ["Escape"], label: "Cancel drawing / close help / deselect the shape", group: "Other" },
];

/**
 * Keys of the key-image tools, active only where the viewer edits key images (the case editor). Shift+letter, so
 * they never shadow a reading key.
 */
export const ANNOTATION_HOTKEYS: readonly Hotkey[] = [
  { command: "toggleKeyImage", keys: ["K"], label: "Mark / unmark the image as a key image", group: "Annotate" },
  { command: "toolArrow", keys: ["A"], label: "Arrow annotation (drag tail to head)", group: "Annotate" },
  { command: "toolMarkEllipse", keys: ["O"], label: "Ellipse annotation (drag corner to corner)", group: "Annotate" },
  { command: "toolLabel", keys: ["T"], label: "Text label (click where it goes)", group: "Annotate" },
  { command: "placeAnnotation", keys: ["Enter"], label: "Place the selected annotation at the image centre", group: "Annotate" },
  { command: "selectNextShape", keys: ["N"], label: "Select the next shape on this image", group: "Annotate" },
  { command: "selectPreviousShape", keys: ["P"], label: "Select the previous shape on this image", group: "Annotate" },
];

/** Pixels a shape moves per arrow key, and with Shift held. */
export const SHAPE_STEP = { small: 1, large: 10 } as const;

/**
 * Keys that act on the selected shape (chosen in the annotation list, by click or with Shift+N / Shift+P): while a
 * shape is selected they take precedence over image navigation. Arrows move it on screen, whatever the rotation.
 */
export const SHAPE_HOTKEYS: readonly Hotkey[] = [
  { command: "moveShapeLeft", keys: ["ArrowLeft"], label: `Move the selected shape left (Shift: ${SHAPE_STEP.large} px)`, group: "Selected shape" },
  { command: "moveShapeRight", keys: ["ArrowRight"], label: `Move the selected shape right (Shift: ${SHAPE_STEP.large} px)`, group: "Selected shape" },
  { command: "moveShapeUp", keys: ["ArrowUp"], label: `Move the selected shape up (Shift: ${SHAPE_STEP.large} px)`, group: "Selected shape" },
  { command: "moveShapeDown", keys: ["ArrowDown"], label: `Move the selected shape down (Shift: ${SHAPE_STEP.large} px)`, group: "Selected shape" },
  { command: "deleteShape", keys: ["Delete", "Backspace"], label: "Delete the selected shape", group: "Selected shape" },
];

/** Display name of a key for the help sheet and tooltips. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = {
    " ": "Space", ArrowDown: "↓", ArrowUp: "↑", ArrowLeft: "←", ArrowRight: "→", E: "Shift+E",
    PageDown: "PgDn", PageUp: "PgUp", Delete: "Del", Backspace: "⌫", Escape: "Esc",
  };
  if (names[key]) return names[key];
  return /^[A-Z]$/.test(key) ? `Shift+${key}` : key;
}

/**
 * The command for a key press, or undefined. Presses with Ctrl, Alt or Meta are left to the
 * browser (copy, zoom, tab switching), and so are presses typed into form fields.
 */
export function commandForKey(
  event: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean },
  table: readonly Hotkey[] = HOTKEYS,
): ViewerCommand | undefined {
  if (event.ctrlKey || event.altKey || event.metaKey) return undefined;
  return table.find((h) => h.keys.includes(event.key))?.command;
}

/** First key bound to a command, formatted, for `title` tooltips ("Invert (i)"). */
export function shortcutFor(command: ViewerCommand): string {
  const key = [...HOTKEYS, ...ANNOTATION_HOTKEYS, ...SHAPE_HOTKEYS].find((h) => h.command === command)?.keys[0];
  return key === undefined ? "" : keyLabel(key);
}
