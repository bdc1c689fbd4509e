"use client";

import cornerstone, { type CornerstoneImage } from "cornerstone-core";
import dicomParser from "dicom-parser";
import { useEffect, useRef, useState } from "react";

/** The least work that shows a 16-bit greyscale image: parse, wrap the pixel data, display. */
function toImage(imageId: string, bytes: Uint8Array): CornerstoneImage {
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16("x00280010") ?? 0;
  const columns = ds.uint16("x00280011") ?? 0;
  const signed = ds.uint16("x00280103") === 1;
  const el = ds.elements.x7fe00010!;
  const buffer = bytes.buffer.slice(bytes.byteOffset + el.dataOffset, bytes.byteOffset + el.dataOffset + rows * columns * 2);
  const pixels = signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const slope = ds.floatString("x00281053") ?? 1;
  const intercept = ds.floatString("x00281052") ?? 0;
  const image = {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope,
    intercept,
    windowCenter: ds.floatString("x00281050") ?? ((min + max) / 2) * slope + intercept,
    windowWidth: ds.floatString("x00281051") ?? Math.max(1, (max - min) * slope),
    getPixelData: () => pixels,
    rows,
    columns,
    height: rows,
    width: columns,
    color: false,
    invert: false,
    columnPixelSpacing: 1,
    rowPixelSpacing: 1,
    sizeInBytes: pixels.byteLength,
  };
  return image as unknown as CornerstoneImage;
}

export default function BaselineCanvas({ url }: { url: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    cornerstone.enable(el);
    const onRendered = () => {
      el.dataset.renderedImageId = url;
    };
    el.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    let cancelled = false;
    void (async () => {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const image = toImage(url, new Uint8Array(await response.arrayBuffer()));
        if (!cancelled) cornerstone.displayImage(el, image);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      el.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      cornerstone.disable(el);
    };
  }, [url]);
  return (
    <div style={{ position: "relative", width: "100%", height: "100%", minHeight: 420, background: "#000" }}>
      <div ref={ref} data-viewport-index="0" style={{ width: "100%", height: "100%", minHeight: 420 }} />
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
