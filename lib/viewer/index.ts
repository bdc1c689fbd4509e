// Public surface of the viewer. Everything here is safe to import from server components:
// the cornerstone code loads only in the browser, behind CaseViewer's dynamic import.
export { CaseViewer, PackedCaseViewer } from "./components/case-viewer";
export { packSeries, unpackSeries, type PackedSeries } from "./packed-series";
export type {
  Annotation,
  CaseViewerProps,
  ImagePoint,
  KeyImage,
  KeyImageEditing,
  Measurement,
  ViewerInstance,
  ViewerSeries,
  WindowPreset,
} from "./types";
export { BUILT_IN_PRESETS } from "./window-level";
export {
  annotationSchema,
  imagePointSchema,
  keyImageSchema,
  measurementListSchema,
  measurementSchema,
  windowPresetListSchema,
  windowPresetSchema,
} from "./schemas";
export { buildImageId, parseImageId, IMAGE_ID_SCHEME } from "./image-id";
