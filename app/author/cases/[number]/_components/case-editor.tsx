"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { ageBuckets } from "@/lib/cases/bundle-schema";
import type { EditResult } from "@/lib/cases/editor";
import type { Phase } from "@/lib/cases/lifecycle";
import type { KeyImage, ViewerSeries } from "@/lib/viewer";
import { phaseLabels, sexLabels } from "@/lib/cases/present";
import { deleteDraftAction, manualMomentAction, saveCaseAction, setScheduleAction } from "../../actions";
import { AnswerKeyPanel } from "./answer-key-panel";
import { CoAuthorsPanel } from "./co-authors-panel";
import { clockTime, type CaseMeta, type CoAuthor, type EditorDoc } from "./editor-doc";
import { KeyImagesPanel } from "./key-images-panel";
import { ListField } from "./list-field";
import { MarkdownField } from "./markdown-field";
import { SchedulePanel } from "./schedule-panel";
import { SeriesNamesPanel, type SeriesNameRow } from "./series-names-panel";

type Props = {
  meta: CaseMeta;
  initialDoc: EditorDoc;
  initialVersion: string;
  initialPhase: Phase;
  collections: { id: string; title: string }[];
  coAuthors: CoAuthor[];
  images: { series: ViewerSeries[]; keyImages: KeyImage[] };
  seriesNames: SeriesNameRow[];
};

type SaveStatus =
  | { kind: "saved"; at: Date | undefined }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; reason: string }
  | { kind: "conflict"; at: string; version: string };

/** Autosave fires this long after the last change. */
const AUTOSAVE_MS = 2000;

type Stored = { doc: EditorDoc; version: string; at: string };

const storageKey = (caseId: string) => `casebook:case-draft:${caseId}`;

function readStored(caseId: string): Stored | undefined {
  try {
    const raw = window.localStorage.getItem(storageKey(caseId));
    return raw ? (JSON.parse(raw) as Stored) : undefined;
  } catch {
    return undefined;
  }
}

function describeErrors(fieldErrors: Record<string, string[]>): string {
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
}

/**
 * The case editor. Every change is kept in this browser at once (localStorage) and saved to the server two
 * seconds after the last keystroke. Saves carry the version the editor started from, so a save made on top of
 * someone else's is refused with a message instead of silently overwriting it. All writes go through one queue,
 * so a schedule change never races an autosave.
 */
export function CaseEditor({ meta: initialMeta, initialDoc, initialVersion, initialPhase, collections, coAuthors, images, seriesNames }: Props) {
  const [meta, setMeta] = useState(initialMeta);
  const [doc, setDoc] = useState(initialDoc);
  const [phase, setPhase] = useState(initialPhase);
  const [status, setStatus] = useState<SaveStatus>({ kind: "saved", at: undefined });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [restored, setRestored] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState<"idle" | "confirm" | "busy">("idle");
  const [deleteError, setDeleteError] = useState<string | undefined>(undefined);

  const docRef = useRef(doc);
  const versionRef = useRef(initialVersion);
  /** Bumped on every edit: a save clears the stored copy only if nothing changed while it was in flight. */
  const generation = useRef(0);
  const savedGeneration = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const enqueue = useCallback(<T,>(task: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(task);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const store = useCallback(
    (d: EditorDoc) => {
      try {
        window.localStorage.setItem(storageKey(meta.id), JSON.stringify({ doc: d, version: versionRef.current, at: new Date().toISOString() } satisfies Stored));
      } catch {
        // A full or disabled localStorage must not stop editing; the server save still runs.
      }
    },
    [meta.id],
  );

  const save = useCallback(
    () =>
      enqueue(async () => {
        if (savedGeneration.current === generation.current) return;
        const gen = generation.current;
        setStatus({ kind: "saving" });
        let result: EditResult;
        try {
          result = await saveCaseAction(meta.id, versionRef.current, docRef.current);
        } catch {
          setStatus({ kind: "failed", reason: "the server did not answer" });
          return;
        }
        if (result.ok) {
          versionRef.current = result.version;
          savedGeneration.current = gen;
          setPhase(result.phase);
          setFieldErrors({});
          if (gen === generation.current) window.localStorage.removeItem(storageKey(meta.id));
          else store(docRef.current);
          setStatus(gen === generation.current ? { kind: "saved", at: new Date() } : { kind: "pending" });
        } else if (result.reason === "invalid") {
          setFieldErrors(result.fieldErrors);
          setStatus({ kind: "failed", reason: describeErrors(result.fieldErrors) });
        } else if (result.reason === "conflict") {
          setStatus({ kind: "conflict", at: result.updatedAt, version: result.version });
        } else {
          setStatus({ kind: "failed", reason: result.reason === "forbidden" ? "you may no longer edit this case" : "the case no longer exists" });
        }
      }),
    [enqueue, meta.id, store],
  );

  /** Saves now instead of waiting for the debounce (before a schedule change, say). */
  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    await save();
  }, [save]);

  const update = useCallback(
    (patch: Partial<EditorDoc>) => {
      const next = { ...docRef.current, ...patch };
      docRef.current = next;
      generation.current += 1;
      setDoc(next);
      store(next);
      setStatus((s) => (s.kind === "conflict" ? s : { kind: "pending" }));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
    },
    [save, store],
  );

  // On load: edits this browser kept but the server never got are restored, with a notice, and saved.
  useEffect(() => {
    const stored = readStored(meta.id);
    if (!stored) return;
    if (JSON.stringify(stored.doc) === JSON.stringify(initialDoc)) {
      window.localStorage.removeItem(storageKey(meta.id));
      return;
    }
    docRef.current = stored.doc;
    versionRef.current = stored.version;
    generation.current += 1;
    setDoc(stored.doc);
    setRestored(stored.at);
    setStatus({ kind: "pending" });
    timer.current = setTimeout(() => void save(), 500);
    // Run once per mounted case; initialDoc is the server's copy at that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta.id]);

  useEffect(() => () => clearTimeout(timer.current), []);

  function discardLocal() {
    clearTimeout(timer.current);
    window.localStorage.removeItem(storageKey(meta.id));
    window.location.reload();
  }

  function overwrite(version: string) {
    versionRef.current = version;
    savedGeneration.current = -1;
    void save();
  }

  async function onSchedule(schedule: { status: "draft" | "published"; opensAt: string; closesAt: string; revealsAt: string }) {
    await flush();
    const result = await enqueue(() => setScheduleAction(meta.id, versionRef.current, schedule));
    if (result.ok) {
      versionRef.current = result.version;
      setPhase(result.phase);
      setMeta((m) => ({ ...m, status: schedule.status, opensAt: schedule.opensAt || null, closesAt: schedule.closesAt || null, revealsAt: schedule.revealsAt || null }));
    }
    return result;
  }

  async function onMoment(which: "close" | "reveal", undo: boolean) {
    await flush();
    const result = await enqueue(() => manualMomentAction(meta.id, versionRef.current, which, undo));
    if (result.ok) {
      versionRef.current = result.version;
      setPhase(result.phase);
    }
    return result;
  }

  async function onDelete() {
    setDeleting("busy");
    clearTimeout(timer.current);
    try {
      const result = await deleteDraftAction(meta.id);
      // A successful delete redirects; only failures come back.
      if (result && !result.ok) setDeleteError(result.message);
      window.localStorage.removeItem(storageKey(meta.id));
    } catch (error) {
      // redirect() surfaces as a navigation, not an error, in server actions called from the client.
      if (!(error instanceof Error) || !error.message.includes("NEXT_REDIRECT")) setDeleteError("The server did not answer");
    } finally {
      setDeleting("idle");
    }
  }

  const err = (field: string) => fieldErrors[field];
  const text = (field: keyof EditorDoc, label: string, opts: { max?: number; hint?: string } = {}) => (
    <div className="field">
      <label htmlFor={`f-${field}`}>
        {label}
        {opts.hint ? <span className="muted md-hint"> · {opts.hint}</span> : null}
      </label>
      <input id={`f-${field}`} value={doc[field] as string} maxLength={opts.max} onChange={(e) => update({ [field]: e.target.value })} aria-invalid={err(field) ? true : undefined} />
      {err(field)?.map((m) => (
        <span key={m} className="field-error">
          {m}
        </span>
      ))}
    </div>
  );

  return (
    <div className="editor">
      <div className="editor-bar">
        <h1>
          Case {meta.number}
          <span className="muted"> · {doc.title || "Untitled"}</span>
        </h1>
        <span className={`status status-${phase}`}>{phaseLabels[phase]}</span>
        <SaveStatusLine status={status} onOverwrite={overwrite} onDiscard={discardLocal} />
        <nav className="editor-jump" aria-label="Editor sections">
          <a href="#images-heading">Images</a>
          <a href="#teaching-heading">Teaching</a>
          <a href="#key-heading">Answer key</a>
          <a href="#schedule-heading">Schedule</a>
          <a href="#authors-heading">Authors</a>
        </nav>
        <nav className="editor-links" aria-label="Case views">
          <Link href={`/author/cases/${meta.number}/preview?view=before`} className="btn">
            Preview as resident
          </Link>
          <Link href={`/author/upload?case=${meta.number}`} className="btn">
            Upload images
          </Link>
          <Link href="/author" className="btn">
            All cases
          </Link>
        </nav>
      </div>
      {restored ? (
        <p className="editor-notice" role="status" data-testid="restored-notice">
          Restored edits from this browser that had not reached the server ({new Date(restored).toLocaleString()}). They are being saved now.{" "}
          <button type="button" className="btn-link" onClick={discardLocal}>
            Discard them and reload
          </button>
        </p>
      ) : null}

      <div className="editor-grid">
        <div className="editor-main">
          <section className="card editor-section" aria-labelledby="identity-heading">
            <h3 id="identity-heading">Case</h3>
            <div className="editor-cols">
              {text("title", "Title (the diagnosis, shown after the reveal)", { max: 200 })}
              {text("slug", "Slug", { max: 80, hint: "unique, never shown to residents" })}
            </div>
            {text("summary", "Summary", { max: 160, hint: `one line, no answer · ${doc.summary.length}/160` })}
          </section>

          <section className="card editor-section" aria-labelledby="presentation-edit-heading">
            <h3 id="presentation-edit-heading">Presentation (shown while open)</h3>
            <div className="editor-cols editor-cols-4">
              <div className="field">
                <label htmlFor="f-ageBucket">Age</label>
                <select id="f-ageBucket" value={doc.ageBucket} onChange={(e) => update({ ageBucket: e.target.value })} aria-invalid={err("ageBucket") ? true : undefined}>
                  <option value="">—</option>
                  {ageBuckets.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
                {err("ageBucket")?.map((m) => <span key={m} className="field-error">{m}</span>)}
              </div>
              <div className="field">
                <label htmlFor="f-sex">Sex</label>
                <select id="f-sex" value={doc.sex} onChange={(e) => update({ sex: e.target.value })} aria-invalid={err("sex") ? true : undefined}>
                  <option value="">—</option>
                  {Object.entries(sexLabels).map(([v, l]) => (
                    <option key={v} value={v}>
                      {l}
                    </option>
                  ))}
                </select>
                {err("sex")?.map((m) => <span key={m} className="field-error">{m}</span>)}
              </div>
              <div className="field">
                <label htmlFor="f-difficulty">Difficulty</label>
                <select id="f-difficulty" value={doc.difficulty ?? ""} onChange={(e) => update({ difficulty: e.target.value ? Number(e.target.value) : null })} aria-invalid={err("difficulty") ? true : undefined}>
                  <option value="">—</option>
                  {[1, 2, 3, 4, 5].map((d) => (
                    <option key={d} value={d}>
                      {d} / 5
                    </option>
                  ))}
                </select>
                {err("difficulty")?.map((m) => <span key={m} className="field-error">{m}</span>)}
              </div>
              {text("bodyRegion", "Region", { max: 40 })}
            </div>
            <div className="editor-cols">
              <ListField id="f-modalities" label="Modalities" hint="comma-separated" separator="commas" value={doc.modalities} onChange={(modalities) => update({ modalities })} errors={err("modalities")} />
              <ListField id="f-tags" label="Tags" hint="comma-separated, neutral" separator="commas" value={doc.tags} onChange={(tags) => update({ tags })} errors={err("tags")} />
            </div>
            <MarkdownField id="f-history" label="History" value={doc.history} onChange={(history) => update({ history })} rows={4} errors={err("history")} />
          </section>

          <KeyImagesPanel caseNumber={meta.number} series={images.series} keyImages={images.keyImages} />

          <section className="card editor-section" aria-labelledby="teaching-heading">
            <h3 id="teaching-heading">Teaching (shown after the reveal)</h3>
            <MarkdownField id="f-findings" label="Findings" value={doc.findings} onChange={(findings) => update({ findings })} errors={err("findings")} />
            <MarkdownField id="f-diagnosis" label="Diagnosis" value={doc.diagnosis} onChange={(diagnosis) => update({ diagnosis })} rows={3} errors={err("diagnosis")} />
            <DifferentialEditor value={doc.differential} onChange={(differential) => update({ differential })} errors={fieldErrors} />
            <MarkdownField id="f-discussion" label="Discussion" value={doc.discussion} onChange={(discussion) => update({ discussion })} rows={7} errors={err("discussion")} />
            <ListField id="f-learningPoints" label="Learning points" hint="one a line" separator="lines" rows={3} value={doc.learningPoints} onChange={(learningPoints) => update({ learningPoints })} errors={err("learningPoints")} />
            <MarkdownField id="f-confirmation" label="How the diagnosis was confirmed" value={doc.confirmation} onChange={(confirmation) => update({ confirmation })} rows={2} errors={err("confirmation")} />
            <ListField id="f-references" label="References" hint="one a line" separator="lines" rows={3} value={doc.references} onChange={(references) => update({ references })} errors={err("references")} />
            <ListField id="f-revealTags" label="Reveal tags" hint="tags that name the answer, comma-separated" separator="commas" value={doc.revealTags} onChange={(revealTags) => update({ revealTags })} errors={err("revealTags")} />
          </section>

          <section className="card editor-section" aria-labelledby="collections-heading">
            <h3 id="collections-heading">Collections</h3>
            {collections.length === 0 ? <p className="muted editor-help">No collections yet.</p> : null}
            <div className="checkbox-list">
              {collections.map((c) => (
                <label key={c.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={doc.collectionIds.includes(c.id)}
                    onChange={(e) => update({ collectionIds: e.target.checked ? [...doc.collectionIds, c.id] : doc.collectionIds.filter((id) => id !== c.id) })}
                  />
                  {c.title}
                </label>
              ))}
            </div>
          </section>
        </div>

        <aside className="editor-side">
          <AnswerKeyPanel value={doc.answerKey} onChange={(answerKey) => update({ answerKey })} errors={fieldErrors} />
          <SchedulePanel meta={meta} phase={phase} onSchedule={onSchedule} onMoment={onMoment} />
          <SeriesNamesPanel caseId={meta.id} series={seriesNames} />
          <CoAuthorsPanel caseId={meta.id} authorName={meta.authorName} initial={coAuthors} />
          {meta.status === "draft" ? (
            <section className="card editor-section" aria-labelledby="danger-heading">
              <h3 id="danger-heading">Delete</h3>
              {deleting === "confirm" ? (
                <button type="button" className="btn btn-danger" onClick={onDelete}>
                  Confirm: delete this draft
                </button>
              ) : (
                <button type="button" className="btn" disabled={deleting === "busy"} onClick={() => setDeleting("confirm")}>
                  Delete draft
                </button>
              )}
              {deleteError ? <p className="field-error" role="alert">{deleteError}</p> : null}
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

/** "Saved at hh:mm", "Saving…", or why the last save failed, with what to do about it. */
function SaveStatusLine({ status, onOverwrite, onDiscard }: { status: SaveStatus; onOverwrite: (version: string) => void; onDiscard: () => void }) {
  let body: React.ReactNode;
  let tone = "muted";
  switch (status.kind) {
    case "saved":
      body = status.at ? `Saved at ${clockTime(status.at)}` : "All changes saved";
      break;
    case "pending":
      body = "Unsaved changes…";
      break;
    case "saving":
      body = "Saving…";
      break;
    case "failed":
      tone = "save-failed";
      body = `Not saved: ${status.reason} (kept in this browser)`;
      break;
    case "conflict":
      tone = "save-failed";
      body = (
        <>
          Not saved: someone else saved this case{status.at ? ` at ${clockTime(new Date(status.at))}` : ""}. Your edits are kept in this browser.{" "}
          <button type="button" className="btn-link" onClick={onDiscard}>
            Load their version
          </button>{" "}
          ·{" "}
          <button type="button" className="btn-link" onClick={() => onOverwrite(status.version)}>
            Overwrite with mine
          </button>
        </>
      );
      break;
  }
  return (
    <span className={`save-status ${tone}`} role="status" aria-live="polite" data-testid="save-status">
      {body}
    </span>
  );
}

type Row = EditorDoc["differential"][number];

/** Differential rows: diagnosis and why it is less likely. */
function DifferentialEditor({ value, onChange, errors }: { value: Row[]; onChange: (rows: Row[]) => void; errors: Record<string, string[]> }) {
  const set = (i: number, patch: Partial<Row>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="field differential-editor">
      <legend>Differential diagnosis</legend>
      <table className="data compact">
        <thead>
          <tr>
            <th scope="col">Diagnosis</th>
            <th scope="col">Why less likely</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {value.map((row, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Differential ${i + 1} diagnosis`} value={row.diagnosis} onChange={(e) => set(i, { diagnosis: e.target.value })} aria-invalid={errors[`differential.${i}.diagnosis`] ? true : undefined} />
                {errors[`differential.${i}.diagnosis`]?.map((m) => <span key={m} className="field-error">{m}</span>)}
              </td>
              <td>
                <textarea aria-label={`Differential ${i + 1} why less likely`} rows={2} value={row.whyLessLikely} onChange={(e) => set(i, { whyLessLikely: e.target.value })} />
              </td>
              <td className="row-actions">
                <button type="button" className="btn-link" aria-label={`Move differential ${i + 1} up`} disabled={i === 0} onClick={() => onChange(value.map((r, j) => (j === i - 1 ? value[i]! : j === i ? value[i - 1]! : r)))}>
                  ↑
                </button>
                <button type="button" className="btn-link" aria-label={`Remove differential ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn" onClick={() => onChange([...value, { diagnosis: "", whyLessLikely: "" }])}>
        Add differential row
      </button>
    </fieldset>
  );
}
