import type { StudyGroup } from "./group";
import { uploadLimits } from "./limits";
import type { UploadManifest } from "./manifest";
import type { ProcessProgress } from "./process";

/** What the upload page receives about a session: results and grouping, never disk paths or hashes. */
export type UploadView = {
  id: string;
  caseId: string;
  state: UploadManifest["state"];
  receivedBytes: number;
  limits: { maxUploadBytes: number; maxFiles: number; maxDicomFileBytes: number };
  sources: { id: string; name: string; size: number; kind: "file" | "zip"; processed: boolean }[];
  files: {
    id: string;
    name: string;
    size: number;
    status: "accepted" | "duplicate" | "refused";
    reason: string | null;
    seriesInstanceUid: string | null;
    burnedInRisk: boolean;
  }[];
  counts: { accepted: number; duplicates: number; refused: number };
  studies: StudyGroup[];
  progress: ProcessProgress | null;
  committed: UploadManifest["committed"];
};

/** Builds the page's view of a session. */
export function toUploadView(m: UploadManifest, studies: StudyGroup[], progress: ProcessProgress | null = null): UploadView {
  const files = m.files.map((f) => ({
    id: f.id,
    name: f.name,
    size: f.size,
    status: f.status,
    reason: f.reason,
    seriesInstanceUid: f.instance?.seriesInstanceUid ?? null,
    burnedInRisk: f.deid?.burnedInRisk ?? false,
  }));
  return {
    id: m.id,
    caseId: m.caseId,
    state: m.state,
    receivedBytes: m.receivedBytes,
    limits: { maxUploadBytes: uploadLimits.maxUploadBytes, maxFiles: uploadLimits.maxFiles, maxDicomFileBytes: uploadLimits.maxDicomFileBytes },
    sources: m.sources.map((s) => ({ id: s.id, name: s.name, size: s.size, kind: s.kind, processed: s.processed })),
    files,
    counts: {
      accepted: files.filter((f) => f.status === "accepted").length,
      duplicates: files.filter((f) => f.status === "duplicate").length,
      refused: files.filter((f) => f.status === "refused").length,
    },
    studies,
    progress,
    committed: m.committed,
  };
}
