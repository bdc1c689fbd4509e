"use client";

import { useMemo } from "react";
import { CaseViewer, type KeyImage, type KeyImageEditing, type ViewerSeries } from "@/lib/viewer";

type Props = { caseNumber: number; series: ViewerSeries[]; keyImages: KeyImage[] };

/** The reason in an error answer of the key-image route, naming the fields it refused. */
async function problemOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string; fieldErrors?: Record<string, string[]> } } | undefined;
  const fields = Object.entries(body?.error?.fieldErrors ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
  return fields.length ? fields.join("; ") : (body?.error?.message ?? `the server answered ${res.status}`);
}

/**
 * The case's images in the viewer with the key-image tools: the educator marks key images and draws arrows,
 * ellipses and labels; each change goes to PUT/DELETE /api/cases/:number/key-images, which checks they may edit.
 */
export function KeyImagesPanel({ caseNumber, series, keyImages }: Props) {
  const editing = useMemo<KeyImageEditing>(() => {
    const url = `/api/cases/${caseNumber}/key-images`;
    return {
      async save(k) {
        const res = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ instanceId: k.instanceId, caption: k.caption ?? "", annotations: k.annotations }) });
        return res.ok ? null : problemOf(res);
      },
      async remove(target) {
        const res = await fetch(`${url}?instanceId=${encodeURIComponent(target.instanceId)}`, { method: "DELETE" });
        return res.ok ? null : problemOf(res);
      },
      async reorder(instanceIds) {
        const res = await fetch(url, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ order: instanceIds }) });
        return res.ok ? null : problemOf(res);
      },
    };
  }, [caseNumber]);

  return (
    <section className="card editor-section editor-images" aria-labelledby="images-heading">
      <h3 id="images-heading">
        Images and key images <span className="muted md-hint">· annotations are shown to residents only after the reveal</span>
      </h3>
      {series.length === 0 ? (
        <p className="muted editor-help">
          No images yet. <a href={`/author/upload?case=${caseNumber}`}>Upload DICOM files</a> to this case.
        </p>
      ) : (
        <div className="editor-viewer" data-testid="editor-viewer">
          <CaseViewer series={series} keyImages={keyImages} keyImageEditing={editing} />
        </div>
      )}
    </section>
  );
}
