import { suggestSeriesDescription } from "@/lib/cases/series-description";
import { sortSlices } from "@/lib/dicom/sort-series";
import type { InstanceHeader } from "./case-images";
import type { FileResult } from "./manifest";

export type SeriesGroup = {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  description: string;
  seriesNumber: number | null;
  rows: number;
  columns: number;
  /** Accepted file ids in display order (by position along the slice normal, else instance number). */
  fileIds: string[];
  instanceCount: number;
  byteSize: number;
  /** Some image may carry burned-in identifying text: committed only when the educator acknowledges it. */
  heldForReview: boolean;
  burnedInReasons: string[];
  /** Original descriptions de-identification removed, distinct, for the educator to review. */
  reviewDescriptions: { keyword: string; value: string }[];
  /** A neutral name from modality and plane ("CT AX"), pre-filled for the educator to refine. */
  suggestedDescription: string;
  /** The case already has this series: the new images are added to it and the whole series re-sorted. */
  existsInCase: boolean;
};

export type StudyGroup = { studyInstanceUid: string; description: string; series: SeriesGroup[] };

type Accepted = FileResult & { instance: InstanceHeader };

/**
 * Groups the accepted files of an upload into studies and series, series ordered by series number and images
 * by position. Pure: the same results always give the same grouping, which is what the commit writes.
 */
export function groupUpload(files: readonly FileResult[], existingSeriesUids: ReadonlySet<string> = new Set()): StudyGroup[] {
  const accepted = files.filter((f): f is Accepted => f.status === "accepted" && f.instance !== null && f.processed !== null);
  const bySeries = new Map<string, Accepted[]>();
  for (const f of accepted) {
    const list = bySeries.get(f.instance.seriesInstanceUid) ?? [];
    list.push(f);
    bySeries.set(f.instance.seriesInstanceUid, list);
  }
  const studies = new Map<string, StudyGroup>();
  const seriesList = [...bySeries.entries()].map(([uid, items]): SeriesGroup => {
    const first = items[0]!.instance;
    const sorted = sortSlices(items.map((f) => ({ ...f.instance, id: f.id })));
    const reasons = new Set<string>();
    const descriptions = new Map<string, { keyword: string; value: string }>();
    for (const f of items) {
      if (f.deid?.burnedInRisk) reasons.add(f.deid.burnedInReason ?? "burned-in annotation possible");
      for (const d of f.deid?.reviewDescriptions ?? []) descriptions.set(`${d.keyword}\u0000${d.value}`, d);
    }
    return {
      seriesInstanceUid: uid,
      studyInstanceUid: first.studyInstanceUid,
      modality: first.modality,
      description: first.seriesDescription,
      suggestedDescription: suggestSeriesDescription(first),
      seriesNumber: first.seriesNumber,
      rows: first.rows,
      columns: first.columns,
      fileIds: sorted.map((s) => s.id),
      instanceCount: items.length,
      byteSize: items.reduce((sum, f) => sum + (f.processed?.size ?? 0), 0),
      heldForReview: reasons.size > 0,
      burnedInReasons: [...reasons],
      reviewDescriptions: [...descriptions.values()],
      existsInCase: existingSeriesUids.has(uid),
    };
  });
  seriesList.sort((a, b) => (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) || a.seriesInstanceUid.localeCompare(b.seriesInstanceUid));
  for (const s of seriesList) {
    const study = studies.get(s.studyInstanceUid) ?? { studyInstanceUid: s.studyInstanceUid, description: "", series: [] };
    if (!study.description) study.description = accepted.find((f) => f.instance.studyInstanceUid === s.studyInstanceUid)?.instance.studyDescription ?? "";
    study.series.push(s);
    studies.set(s.studyInstanceUid, study);
  }
  return [...studies.values()];
}
