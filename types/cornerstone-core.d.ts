// cornerstone-core 2.6 ships no types. This declares the part of its API that lib/viewer uses,
// with the shapes taken from its source (dist/cornerstone.js.map).
declare module "cornerstone-core" {
  export type CornerstoneImage = {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => Uint8Array | Int8Array | Uint16Array | Int16Array | Uint8ClampedArray;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba?: boolean;
    columnPixelSpacing?: number;
    rowPixelSpacing?: number;
    invert: boolean;
    sizeInBytes: number;
    [extra: string]: unknown;
  };

  export type Voi = { windowWidth: number; windowCenter: number };
  export type Viewport = {
    scale: number;
    translation: { x: number; y: number };
    voi: Voi;
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
    [extra: string]: unknown;
  };

  export type ImageLoadObject = { promise: Promise<CornerstoneImage>; cancelFn?: () => void };
  export type ImageLoader = (imageId: string, options?: Record<string, unknown>) => ImageLoadObject;
  export type EnabledElement = { element: HTMLElement; canvas: HTMLCanvasElement; image?: CornerstoneImage; viewport?: Viewport };
  export type Point = { x: number; y: number };

  export const EVENTS: {
    NEW_IMAGE: string;
    IMAGE_RENDERED: string;
    IMAGE_LOADED: string;
    IMAGE_LOAD_FAILED: string;
    IMAGE_CACHE_CHANGED: string;
    ELEMENT_RESIZED: string;
  };
  export const events: EventTarget;

  export function enable(element: HTMLElement, options?: Record<string, unknown>): void;
  export function disable(element: HTMLElement): void;
  export function displayImage(element: HTMLElement, image: CornerstoneImage, viewport?: Partial<Viewport>): void;
  export function getEnabledElement(element: HTMLElement): EnabledElement;
  export function getImage(element: HTMLElement): CornerstoneImage | undefined;
  export function getViewport(element: HTMLElement): Viewport | undefined;
  export function setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
  export function getDefaultViewportForImage(element: HTMLElement, image: CornerstoneImage): Viewport;
  export function updateImage(element: HTMLElement, invalidated?: boolean): void;
  export function fitToWindow(element: HTMLElement): void;
  export function reset(element: HTMLElement): void;
  export function resize(element: HTMLElement, forceFitToWindow?: boolean): void;
  export function pixelToCanvas(element: HTMLElement, pt: Point): Point;
  export function canvasToPixel(element: HTMLElement, pt: Point): Point;
  export function loadImage(imageId: string, options?: Record<string, unknown>): Promise<CornerstoneImage>;
  export function loadAndCacheImage(imageId: string, options?: Record<string, unknown>): Promise<CornerstoneImage>;
  export function registerImageLoader(scheme: string, loader: ImageLoader): void;
  export function renderToCanvas(canvas: HTMLCanvasElement, image: CornerstoneImage, viewport?: Partial<Viewport> | null): void;
  export const imageCache: {
    setMaximumSizeBytes(numBytes: number): void;
    getCacheInfo(): { maximumSizeInBytes: number; cacheSizeInBytes: number; numberOfImagesCached: number };
    getImageLoadObject(imageId: string): ImageLoadObject | undefined;
    purgeCache(): void;
  };

  const cornerstone: {
    EVENTS: typeof EVENTS;
    events: typeof events;
    enable: typeof enable;
    disable: typeof disable;
    displayImage: typeof displayImage;
    getEnabledElement: typeof getEnabledElement;
    getImage: typeof getImage;
    getViewport: typeof getViewport;
    setViewport: typeof setViewport;
    getDefaultViewportForImage: typeof getDefaultViewportForImage;
    updateImage: typeof updateImage;
    fitToWindow: typeof fitToWindow;
    reset: typeof reset;
    resize: typeof resize;
    pixelToCanvas: typeof pixelToCanvas;
    canvasToPixel: typeof canvasToPixel;
    loadImage: typeof loadImage;
    loadAndCacheImage: typeof loadAndCacheImage;
    registerImageLoader: typeof registerImageLoader;
    renderToCanvas: typeof renderToCanvas;
    imageCache: typeof imageCache;
  };
  export default cornerstone;
}
