"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo } from "react";
import { preload } from "react-dom";
import { unpackSeries, type PackedSeries } from "../packed-series";
import { firstStackEntry } from "../stack";
import type { CaseViewerProps } from "../types";

const loadViewerApp = () => import("./viewer-app");
// The viewer's chunk starts downloading when this module runs in the browser, before hydration, instead of
// when the dynamic component first renders after it (one round trip less before the first picture).
if (typeof window !== "undefined") void loadViewerApp();

// cornerstone-core touches `window` when imported, so the viewer never renders on the server.
const ViewerApp = dynamic(loadViewerApp, {
  ssr: false,
  loading: () => (
    <div style={{ height: "100%", minHeight: 420, background: "#0b0d10", color: "#7d8591", display: "grid", placeItems: "center" }}>
      Loading viewer…
    </div>
  ),
});

/** The case page's DICOM viewer. Client component; safe to render from a server component. */
export function CaseViewer(props: CaseViewerProps) {
  // The first picture's bytes download alongside the page's JavaScript instead of after the viewer chunk
  // (a <link rel=preload> in the server HTML). "anonymous" is the same-origin credentials mode the image
  // loader's fetch() uses, so the browser hands that fetch the preloaded response.
  const first = firstStackEntry(props.series, props.keyImages);
  if (first) preload(first.instance.url, { as: "fetch", crossOrigin: "anonymous" });
  const firstImageId = first?.imageId;
  useEffect(() => {
    // The first picture is decoded as soon as the viewer's code has run, while React still renders the viewer
    // around it; its viewport then finds the image in cornerstone's cache.
    if (firstImageId) void loadViewerApp().then((viewer) => viewer.warmImage(firstImageId));
  }, [firstImageId]);
  return <ViewerApp {...props} />;
}

/**
 * CaseViewer for server components: the series cross to the browser packed (packed-series.ts), a fifth of the
 * RSC payload for a long CT, and are unpacked here.
 */
export function PackedCaseViewer({ packedSeries, ...props }: Omit<CaseViewerProps, "series"> & { packedSeries: PackedSeries[] }) {
  const series = useMemo(() => unpackSeries(packedSeries), [packedSeries]);
  return <CaseViewer {...props} series={series} />;
}
