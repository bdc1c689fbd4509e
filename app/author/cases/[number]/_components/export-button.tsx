"use client";

import { useState } from "react";

/**
 * Downloads the case as a bundle zip. It asks the server first whether the case can be exported, so an
 * incomplete case gets its reason here instead of a failed download; the zip itself streams to disk.
 */
export function ExportButton({ number }: { number: number }) {
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false });
  const url = `/api/cases/${number}/export`;

  async function onClick() {
    setState({ busy: true });
    try {
      const response = await fetch(`${url}?check`, { cache: "no-store" });
      const body = (await response.json().catch(() => ({}))) as { images?: number; error?: { message?: string } };
      if (!response.ok) {
        setState({ busy: false, message: body.error?.message ?? `Export failed (${response.status}).` });
        return;
      }
      window.location.assign(url);
      setState({ busy: false, message: `Downloading the bundle (${body.images ?? 0} images)…` });
    } catch {
      setState({ busy: false, message: "Export failed: the server did not answer." });
    }
  }

  return (
    <span className="export-bundle">
      <button type="button" className="btn" onClick={onClick} disabled={state.busy} data-testid="export-bundle">
        {state.busy ? "Preparing…" : "Export bundle (.zip)"}
      </button>
      {state.message ? <span role="status" className="export-bundle-message">{state.message}</span> : null}
    </span>
  );
}
