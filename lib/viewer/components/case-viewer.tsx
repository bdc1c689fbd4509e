"use client";

import dynamic from "next/dynamic";
import type { CaseViewerProps } from "../types";

// cornerstone-core touches `window` when imported, so the viewer never renders on the server.
const ViewerApp = dynamic(() => import("./viewer-app"), {
  ssr: false,
  loading: () => (
    <div style={{ height: "100%", minHeight: 420, background: "#0b0d10", color: "#7d8591", display: "grid", placeItems: "center" }}>
      Loading viewer…
    </div>
  ),
});

/** The case page's DICOM viewer. Client component; safe to render from a server component. */
export function CaseViewer(props: CaseViewerProps) {
  return <ViewerApp {...props} />;
}
