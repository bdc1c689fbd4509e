"use client";

import dynamic from "next/dynamic";

// cornerstone-core touches `window` when imported, exactly as in the case viewer.
const BaselineCanvas = dynamic(() => import("./baseline-canvas"), { ssr: false });

/** One image, no viewer: the bench's baseline. */
export function BaselineImage({ url }: { url: string }) {
  return <BaselineCanvas url={url} />;
}
