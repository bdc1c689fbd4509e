import type { listCaseSeries } from "@/db/queries/cases";
import { PackedCaseViewer, packSeries, type CaseViewerProps, type KeyImage, type ViewerSeries } from "@/lib/viewer";

/** A series as the case queries return it (db/queries/cases listCaseSeries). */
type SeriesWithInstances = Awaited<ReturnType<typeof listCaseSeries>>[number];

/** Maps the database's series to the viewer's contract: URLs of the authenticated DICOM route, geometry, thumbnails. */
export function toViewerSeries(series: SeriesWithInstances[]): ViewerSeries[] {
  return series.map((s) => {
    const middle = s.instances[Math.floor(s.instances.length / 2)];
    return {
      id: s.id,
      description: s.description,
      modality: s.modality,
      seriesNumber: s.seriesNumber,
      frameOfReferenceUid: s.frameOfReferenceUid,
      thumbnailUrl: middle ? `/api/instances/${middle.id}/preview?size=160` : undefined,
      instances: s.instances.map((i) => ({
        id: i.id,
        url: `/api/dicom/${i.id}`,
        instanceNumber: i.instanceNumber,
        position: i.imagePosition?.length === 3 ? [i.imagePosition[0]!, i.imagePosition[1]!, i.imagePosition[2]!] : null,
        orientation: i.imageOrientation,
        sliceLocation: i.sliceLocation,
        sliceThickness: i.sliceThickness,
        pixelSpacing: i.pixelSpacing?.length === 2 ? [i.pixelSpacing[0]!, i.pixelSpacing[1]!] : null,
        rows: i.rows,
        columns: i.columns,
        frames: i.frames,
      })),
    };
  });
}

/**
 * The case's images in the Cornerstone viewer. Key images (with their annotations) are passed only when
 * visibility allows the full case, so before the reveal they never reach the browser.
 */
export function CaseImages({
  series,
  keyImages,
  persistence,
}: {
  series: SeriesWithInstances[];
  keyImages?: KeyImage[];
  /** The user's saved measurements and presets, with server actions that keep changes (absent in previews). */
  persistence?: Pick<CaseViewerProps, "initialMeasurements" | "onMeasurementsChange" | "userPresets" | "onUserPresetsChange">;
}) {
  if (series.length === 0) return <p className="notice">This case has no images yet.</p>;
  return (
    <section aria-label="Images" className="viewer-shell">
      <PackedCaseViewer packedSeries={packSeries(toViewerSeries(series))} keyImages={keyImages} {...persistence} />
    </section>
  );
}
