"use client";

import { formatBytes } from "@/lib/format";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { SeriesGroup } from "@/lib/uploads/group";
import type { UploadView } from "@/lib/uploads/view";
import styles from "../upload.module.css";

export type UploadCaseOption = { id: string; number: number; slug: string };

type Props = { cases: UploadCaseOption[]; initialCaseId: string | null; limits: { maxUploadBytes: number; maxFiles: number } };

type Picked = { file: File; name: string };
type Transfer = { key: string; name: string; size: number; sent: number; state: "queued" | "sending" | "received" | "failed"; error?: string };
type Phase = "choose" | "transfer" | "processing" | "review" | "committing" | "done";
type ProcessLine =
  | { type: "progress"; bytesDone: number; bytesTotal: number; filesDone: number; accepted: number; duplicates: number; refused: number; preparedOnReceipt?: number }
  | { type: "done"; upload: UploadView }
  | { type: "error"; error: { code: string; message: string } };

const PARALLEL_TRANSFERS = 3;


async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The server answered ${response.status}.`;
}

/** Files of a dropped folder, with their paths, read through the File and Directory Entries API. */
async function readEntry(entry: FileSystemEntry, prefix: string, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, name: `${prefix}${entry.name}` });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it returns an empty list.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await readEntry(child, `${prefix}${entry.name}/`, out);
  }
}

/** PUT one file with XMLHttpRequest: fetch has no upload progress. */
function sendFile(uploadId: string, picked: Picked, onProgress: (sent: number) => void, register: (xhr: XMLHttpRequest) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    register(xhr);
    xhr.open("PUT", `/api/uploads/${uploadId}/files?name=${encodeURIComponent(picked.name)}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `The server answered ${xhr.status}.`;
      try {
        message = (JSON.parse(xhr.responseText) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        /* keep the status */
      }
      reject(new Error(message));
    };
    xhr.onerror = () => reject(new Error("The connection failed."));
    xhr.onabort = () => reject(new Error("Cancelled."));
    xhr.send(picked.file);
  });
}

function ProgressBar({ label, value, max, testId }: { label: string; value: number; max: number; testId: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className={styles.progress} data-testid={testId}>
      <div className={styles.progressHead}>
        <span>{label}</span>
        <span>{percent}%</span>
      </div>
      <progress value={percent} max={100} aria-label={label} />
    </div>
  );
}

export function UploadClient({ cases, initialCaseId, limits }: Props) {
  const [caseId, setCaseId] = useState<string>(initialCaseId ?? cases[0]?.id ?? "");
  const [phase, setPhase] = useState<Phase>("choose");
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [processing, setProcessing] = useState<Extract<ProcessLine, { type: "progress" }> | null>(null);
  const [view, setView] = useState<UploadView | null>(null);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [acknowledged, setAcknowledged] = useState<Set<string>>(new Set());
  // Series names the educator types; a series not in here shows its suggestion (modality and plane).
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [outcome, setOutcome] = useState<{ series: number; instances: number; addedToExistingSeries: number } | null>(null);
  const xhrs = useRef(new Set<XMLHttpRequest>());
  const uploadIdRef = useRef<string | null>(null);
  const queue = useRef<Picked[]>([]);
  const running = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const targetCase = cases.find((c) => c.id === caseId);

  useEffect(() => {
    // React does not know the non-standard attribute: set it on the element.
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  const ensureUpload = useCallback(async (): Promise<string> => {
    if (uploadIdRef.current) return uploadIdRef.current;
    const response = await fetch("/api/uploads", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ caseId }) });
    if (!response.ok) throw new Error(await errorMessage(response));
    const { upload } = (await response.json()) as { upload: UploadView };
    uploadIdRef.current = upload.id;
    setUploadId(upload.id);
    return upload.id;
  }, [caseId]);

  const pump = useCallback(
    (id: string) => {
      while (running.current < PARALLEL_TRANSFERS && queue.current.length > 0) {
        const picked = queue.current.shift()!;
        const key = picked.name;
        running.current += 1;
        setTransfers((ts) => ts.map((t) => (t.key === key ? { ...t, state: "sending" } : t)));
        sendFile(
          id,
          picked,
          (sent) => setTransfers((ts) => ts.map((t) => (t.key === key ? { ...t, sent } : t))),
          (xhr) => xhrs.current.add(xhr),
        )
          .then(() => setTransfers((ts) => ts.map((t) => (t.key === key ? { ...t, sent: t.size, state: "received" } : t))))
          .catch((e: Error) => setTransfers((ts) => ts.map((t) => (t.key === key ? { ...t, state: "failed", error: e.message } : t))))
          .finally(() => {
            running.current -= 1;
            if (uploadIdRef.current === id) pump(id);
          });
      }
    },
    [],
  );

  const addFiles = useCallback(
    async (picked: Picked[]) => {
      if (picked.length === 0 || (phase !== "choose" && phase !== "transfer")) return;
      setError(null);
      const known = new Set(transfers.map((t) => t.key));
      const fresh: Picked[] = [];
      for (const p of picked) {
        let name = p.name;
        for (let n = 2; known.has(name); n++) name = `${p.name} (${n})`;
        known.add(name);
        fresh.push({ ...p, name });
      }
      const total = transfers.reduce((sum, t) => sum + t.size, 0) + fresh.reduce((sum, p) => sum + p.file.size, 0);
      if (total > limits.maxUploadBytes) {
        setError(`These files come to ${formatBytes(total)}; one upload takes at most ${formatBytes(limits.maxUploadBytes)}.`);
        return;
      }
      if (transfers.length + fresh.length > limits.maxFiles) {
        setError(`One upload takes at most ${limits.maxFiles} files.`);
        return;
      }
      let id: string;
      try {
        id = await ensureUpload();
      } catch (e) {
        setError((e as Error).message);
        return;
      }
      setPhase("transfer");
      setTransfers((ts) => [...ts, ...fresh.map((p) => ({ key: p.name, name: p.name, size: p.file.size, sent: 0, state: "queued" as const }))]);
      queue.current.push(...fresh);
      pump(id);
    },
    [ensureUpload, limits, phase, pump, transfers],
  );

  const onDrop = useCallback(
    async (event: React.DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const items = [...event.dataTransfer.items].filter((i) => i.kind === "file");
      const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
      const picked: Picked[] = [];
      if (entries.every((e) => e !== null)) {
        for (const entry of entries) await readEntry(entry!, "", picked);
      } else {
        for (const file of event.dataTransfer.files) picked.push({ file, name: file.name });
      }
      await addFiles(picked);
    },
    [addFiles],
  );

  const onPick = useCallback(
    async (list: FileList | null) => {
      const picked = [...(list ?? [])].map((file) => ({ file, name: file.webkitRelativePath || file.name }));
      if (fileInput.current) fileInput.current.value = "";
      if (folderInput.current) folderInput.current.value = "";
      await addFiles(picked);
    },
    [addFiles],
  );

  const startProcessing = useCallback(async () => {
    if (!uploadId) return;
    setError(null);
    setPhase("processing");
    try {
      const response = await fetch(`/api/uploads/${uploadId}/process`, { method: "POST" });
      if (!response.ok || !response.body) throw new Error(await errorMessage(response));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let finished: UploadView | null = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline)) as ProcessLine;
          buffer = buffer.slice(newline + 1);
          if (line.type === "progress") setProcessing(line);
          else if (line.type === "done") finished = line.upload;
          else throw new Error(line.error.message);
        }
      }
      if (!finished) throw new Error("Processing stopped before it finished; try again.");
      setView(finished);
      setPhase("review");
    } catch (e) {
      setError((e as Error).message);
      setPhase("transfer");
    }
  }, [uploadId]);

  const reset = useCallback(() => {
    uploadIdRef.current = null;
    queue.current = [];
    setUploadId(null);
    setTransfers([]);
    setProcessing(null);
    setView(null);
    setNames({});
    setExcluded(new Set());
    setAcknowledged(new Set());
    setOutcome(null);
    setPhase("choose");
  }, []);

  const cancel = useCallback(async () => {
    const id = uploadIdRef.current;
    queue.current = [];
    for (const xhr of xhrs.current) xhr.abort();
    xhrs.current.clear();
    reset();
    if (id) {
      const response = await fetch(`/api/uploads/${id}`, { method: "DELETE" });
      if (!response.ok && response.status !== 404) setError(await errorMessage(response));
    }
  }, [reset]);

  // Problems first, then by name as a person sorts them (slice-2 before slice-10).
  const sortedFiles = useMemo(() => {
    const rank = { refused: 0, duplicate: 1, accepted: 2 } as const;
    return [...(view?.files ?? [])].sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name, "en", { numeric: true }));
  }, [view]);
  const allSeries = useMemo(() => view?.studies.flatMap((s) => s.series) ?? [], [view]);
  const chosen = allSeries.filter((s) => !excluded.has(s.seriesInstanceUid));
  const blocked = chosen.filter((s) => s.heldForReview && !acknowledged.has(s.seriesInstanceUid));

  const commit = useCallback(async () => {
    if (!uploadId) return;
    setError(null);
    setPhase("committing");
    const response = await fetch(`/api/uploads/${uploadId}/commit`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        acknowledgeBurnedIn: [...acknowledged],
        excludeSeries: [...excluded],
        seriesDescriptions: Object.fromEntries(chosen.map((s) => [s.seriesInstanceUid, names[s.seriesInstanceUid] ?? (s.description || s.suggestedDescription)])),
      }),
    });
    if (!response.ok) {
      setError(await errorMessage(response));
      setPhase("review");
      return;
    }
    const body = (await response.json()) as { outcome: { series: number; instances: number; addedToExistingSeries: number } };
    setOutcome(body.outcome);
    setPhase("done");
  }, [acknowledged, chosen, excluded, names, uploadId]);

  const sentBytes = transfers.reduce((sum, t) => sum + t.sent, 0);
  const totalBytes = transfers.reduce((sum, t) => sum + t.size, 0);
  const received = transfers.filter((t) => t.state === "received").length;
  const failed = transfers.filter((t) => t.state === "failed");
  const inFlight = transfers.some((t) => t.state === "queued" || t.state === "sending");
  const toggle = (set: Set<string>, uid: string) => {
    const next = new Set(set);
    if (next.has(uid)) next.delete(uid);
    else next.add(uid);
    return next;
  };

  return (
    <div className={styles.upload} data-testid="upload-client" data-phase={phase}>
      <div className={styles.toolbar}>
        <label className="field">
          <span>Case</span>
          <select value={caseId} onChange={(e) => setCaseId(e.target.value)} disabled={phase !== "choose"} data-testid="upload-case">
            {cases.map((c) => (
              <option key={c.id} value={c.id}>
                Case {c.number} ({c.slug})
              </option>
            ))}
          </select>
        </label>
        {phase !== "choose" && phase !== "done" ? (
          <button type="button" className="btn btn-danger" onClick={() => void cancel()} disabled={phase === "committing"} data-testid="upload-cancel">
            Cancel upload
          </button>
        ) : null}
      </div>

      {error ? (
        <p className="form-error" role="alert" data-testid="upload-error">
          {error}
        </p>
      ) : null}

      {phase === "choose" || phase === "transfer" ? (
        <div
          className={`${styles.dropzone} ${dragging ? styles.dragging : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => void onDrop(e)}
          data-testid="upload-dropzone"
        >
          <p>
            <strong>Drop DICOM files, folders or zip archives here</strong>
          </p>
          <p className="muted">
            Up to {formatBytes(limits.maxUploadBytes)} and {limits.maxFiles.toLocaleString("en")} files per upload.
          </p>
          <div className={styles.pickers}>
            <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
              Choose files or zips
            </button>
            <button type="button" className="btn" onClick={() => folderInput.current?.click()}>
              Choose a folder
            </button>
          </div>
          <input ref={fileInput} type="file" multiple hidden onChange={(e) => void onPick(e.target.files)} data-testid="upload-input-files" />
          <input ref={folderInput} type="file" multiple hidden onChange={(e) => void onPick(e.target.files)} data-testid="upload-input-folder" />
        </div>
      ) : null}

      {transfers.length > 0 && (phase === "transfer" || phase === "processing") ? (
        <section className={styles.section}>
          <ProgressBar
            label={`Transfer: ${received} of ${transfers.length} files, ${formatBytes(sentBytes)} of ${formatBytes(totalBytes)}`}
            value={sentBytes}
            max={totalBytes}
            testId="upload-transfer-progress"
          />
          {phase === "processing" ? (
            <ProgressBar
              label={
                processing
                  ? `Processing: ${processing.filesDone} files checked (${processing.accepted} accepted, ${processing.duplicates} duplicates, ${processing.refused} refused)${
                      processing.preparedOnReceipt ? `; ${processing.preparedOnReceipt} de-identified during transfer, checked for duplicates now` : ""
                    }`
                  : "Processing: starting"
              }
              value={processing?.bytesDone ?? 0}
              max={processing?.bytesTotal ?? 1}
              testId="upload-processing-progress"
            />
          ) : (
            <div className={styles.actions}>
              <button type="button" className="btn btn-primary" disabled={inFlight || received === 0} onClick={() => void startProcessing()} data-testid="upload-process">
                Check and de-identify {received} {received === 1 ? "file" : "files"}
              </button>
              {inFlight ? <span className="muted">Waiting for transfers to finish.</span> : null}
            </div>
          )}
          {failed.length > 0 ? (
            <ul className={styles.failures} data-testid="upload-transfer-failures">
              {failed.map((t) => (
                <li key={t.key}>
                  <code>{t.name}</code>: {t.error}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {view && (phase === "review" || phase === "committing") ? (
        <>
          <section className={styles.section} data-testid="upload-groups">
            <h2>Series to add to Case {targetCase?.number}</h2>
            {allSeries.length === 0 ? <p className="notice">No file was accepted: see the reasons below.</p> : null}
            {view.studies.map((study, index) => (
              <div key={study.studyInstanceUid} className={styles.study}>
                <h3>
                  Study {index + 1}
                  {study.description ? `: ${study.description}` : ""} ({study.series.length} {study.series.length === 1 ? "series" : "series"})
                </h3>
                {study.series.map((s) => (
                  <SeriesRow
                    key={s.seriesInstanceUid}
                    series={s}
                    included={!excluded.has(s.seriesInstanceUid)}
                    acknowledged={acknowledged.has(s.seriesInstanceUid)}
                    name={names[s.seriesInstanceUid] ?? (s.description || s.suggestedDescription)}
                    onName={(value) => setNames((n) => ({ ...n, [s.seriesInstanceUid]: value }))}
                    onInclude={() => setExcluded((x) => toggle(x, s.seriesInstanceUid))}
                    onAcknowledge={() => setAcknowledged((x) => toggle(x, s.seriesInstanceUid))}
                  />
                ))}
              </div>
            ))}
            <div className={styles.actions}>
              <button
                type="button"
                className="btn btn-primary"
                disabled={phase === "committing" || chosen.length === 0}
                onClick={() => void commit()}
                data-testid="upload-commit"
              >
                Add {chosen.length} {chosen.length === 1 ? "series" : "series"} ({chosen.reduce((n, s) => n + s.instanceCount, 0)} images) to Case {targetCase?.number}
              </button>
              {blocked.length > 0 ? (
                <span className={styles.warn}>
                  {blocked.length} series will be held for review: blank their burned-in text (or remove them) before the case can be published.
                </span>
              ) : null}
            </div>
          </section>

          <section className={styles.section} data-testid="upload-results">
            <div className={styles.resultsHead}>
              <h2>
                Files: {view.counts.accepted} accepted, {view.counts.duplicates} duplicates, {view.counts.refused} refused
              </h2>
              <label className="checkbox">
                <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Only refused and duplicates
              </label>
            </div>
            <div className="table-scroll">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Size</th>
                    <th scope="col">Result</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {sortedFiles
                    .filter((f) => !onlyProblems || f.status !== "accepted")
                    .slice(0, 2000)
                    .map((f) => (
                      <tr key={f.id} data-status={f.status}>
                        <td>
                          <code>{f.name}</code>
                        </td>
                        <td>{formatBytes(f.size)}</td>
                        <td className={styles[f.status]}>{f.status === "accepted" && f.burnedInRisk ? "accepted, held for review" : f.status}</td>
                        <td>{f.reason ?? ""}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}

      {phase === "done" && outcome ? (
        <section className={styles.section} data-testid="upload-done">
          <p className="notice">
            Added {outcome.series} series ({outcome.instances} images) to Case {targetCase?.number}
            {outcome.addedToExistingSeries > 0 ? `, ${outcome.addedToExistingSeries} of them into series the case already had` : ""}.
          </p>
          {blocked.length > 0 && targetCase ? (
            <p className={styles.warn}>
              Some images are held for possible burned-in text.{" "}
              <a href={`/author/cases/${targetCase.number}/held`} data-testid="upload-held-link">
                Review and blank them
              </a>{" "}
              before publishing.
            </p>
          ) : null}
          <div className={styles.actions}>
            {targetCase ? (
              <>
                <a className="btn btn-primary" href={`/author/cases/${targetCase.number}`}>
                  Edit Case {targetCase.number}
                </a>
                <a className="btn" href={`/cases/${targetCase.number}`}>
                  Open Case {targetCase.number}
                </a>
              </>
            ) : null}
            <button type="button" className="btn" onClick={reset}>
              Upload more
            </button>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function SeriesRow(props: {
  series: SeriesGroup;
  included: boolean;
  acknowledged: boolean;
  name: string;
  onInclude: () => void;
  onAcknowledge: () => void;
  onName: (value: string) => void;
}) {
  const s = props.series;
  return (
    <div className={`${styles.series} ${props.included ? "" : styles.excluded}`} data-testid="upload-series" data-held={s.heldForReview ? "true" : "false"}>
      <div className={styles.seriesHead}>
        <label className="checkbox">
          <input type="checkbox" checked={props.included} onChange={props.onInclude} data-testid="upload-series-include" />
          <strong>
            {s.modality} series {s.seriesNumber ?? "?"}
          </strong>
        </label>
        <span className="muted">
          {s.instanceCount} {s.instanceCount === 1 ? "image" : "images"}, {s.columns}×{s.rows}, {formatBytes(s.byteSize)}
        </span>
        {s.existsInCase ? <span className="chip">adds to a series already in the case</span> : null}
        {s.heldForReview ? (
          <span className={styles.held} data-testid="upload-held">
            Held for review
          </span>
        ) : null}
      </div>
      <label className={styles.nameField}>
        <span>Series description residents see</span>
        <input
          type="text"
          value={props.name}
          maxLength={64}
          onChange={(e) => props.onName(e.target.value)}
          disabled={!props.included}
          placeholder={s.suggestedDescription}
          aria-describedby={`name-hint-${s.seriesInstanceUid}`}
          data-testid="upload-series-name"
        />
        <span id={`name-hint-${s.seriesInstanceUid}`} className="muted">
          Plane and sequence, e.g. AX T2 FS; never the diagnosis (suggested: {s.suggestedDescription})
        </span>
      </label>
      {s.reviewDescriptions.length > 0 ? (
        <div className={styles.review}>
          <span className="muted">Removed by de-identification (check they do not give the answer away or name the patient; they are not stored):</span>
          <ul>
            {s.reviewDescriptions.map((d) => (
              <li key={`${d.keyword}:${d.value}`}>
                {d.keyword}: <code>{d.value}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {s.heldForReview ? (
        <div className={styles.heldBox}>
          <p>
            These images may carry burned-in identifying text ({s.burnedInReasons.join("; ")}). They are added held for review: after adding,
            blank the text with the rectangle tool, remove them, or leave the series out now.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={props.acknowledged} onChange={props.onAcknowledge} disabled={!props.included} data-testid="upload-acknowledge" /> I have checked these
            images and they show no identifying text
          </label>
        </div>
      ) : null}
    </div>
  );
}
