"use client";

import { useEffect, useState } from "react";
import type { EditResult } from "@/lib/cases/editor";
import type { Phase } from "@/lib/cases/lifecycle";
import { phaseLabels } from "@/lib/cases/present";
import type { CaseMeta } from "./editor-doc";

type Props = {
  meta: CaseMeta;
  phase: Phase;
  onSchedule: (schedule: { status: "draft" | "published"; opensAt: string; closesAt: string; revealsAt: string }) => Promise<EditResult>;
  onMoment: (which: "close" | "reveal", undo: boolean) => Promise<EditResult>;
};

/** A UTC ISO moment as the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value (local wall time) as UTC ISO; the Date constructor reads zone-less values as local. */
function toUtc(local: string): string {
  return local ? new Date(local).toISOString() : "";
}

type Times = { opensAt: string; closesAt: string; revealsAt: string };

/** The order rules, checked in the browser for an immediate message; the server checks them again. */
function orderErrors(t: Times, status: string): Record<string, string> {
  const ms = (v: string) => (v ? new Date(v).getTime() : undefined);
  const [o, c, r] = [ms(t.opensAt), ms(t.closesAt), ms(t.revealsAt)];
  const errors: Record<string, string> = {};
  if (o !== undefined && c !== undefined && c <= o) errors.closesAt = "Closes must be after opens";
  if (c !== undefined && r !== undefined && r < c) errors.revealsAt = "Reveals must not be before closes";
  if (status === "published" && o === undefined) errors.opensAt = "A published case needs an opening time";
  return errors;
}

/**
 * Status and schedule. Times are typed in the author's own time zone and stored as UTC. Manual close and reveal
 * act at once, ahead of the schedule, after a second click to confirm.
 */
export function SchedulePanel({ meta, phase, onSchedule, onMoment }: Props) {
  // The browser's zone is unknown on the server: fill the inputs after mount so the first paint is not wrong.
  const [mounted, setMounted] = useState(false);
  const [zone, setZone] = useState("");
  const [status, setStatus] = useState(meta.status);
  const [times, setTimes] = useState<Times>({ opensAt: "", closesAt: "", revealsAt: "" });
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<"close" | "reveal" | undefined>(undefined);
  const [manual, setManual] = useState({ closedAt: meta.closedAt, revealedAt: meta.revealedAt });

  useEffect(() => {
    setTimes({ opensAt: toLocalInput(meta.opensAt), closesAt: toLocalInput(meta.closesAt), revealsAt: toLocalInput(meta.revealsAt) });
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setMounted(true);
  }, [meta.opensAt, meta.closesAt, meta.revealsAt]);

  const local = orderErrors(times, status);
  const errorsOf = (f: string) => [...(local[f] ? [local[f]] : []), ...(serverErrors[f] ?? [])];

  function describe(result: EditResult, done: string) {
    if (result.ok) {
      setServerErrors({});
      setMessage(done);
    } else if (result.reason === "invalid") {
      setServerErrors(result.fieldErrors);
      setMessage(`Not saved: ${Object.entries(result.fieldErrors).map(([f, m]) => `${f}: ${m.join(", ")}`).join("; ")}`);
    } else if (result.reason === "conflict") {
      setMessage("Not saved: someone else changed this case. Reload the page to see their version.");
    } else setMessage("Not saved: you may not edit this case.");
  }

  async function save() {
    setBusy(true);
    try {
      const result = await onSchedule({ status, opensAt: toUtc(times.opensAt), closesAt: toUtc(times.closesAt), revealsAt: toUtc(times.revealsAt) });
      describe(result, status === "published" ? "Schedule saved: published" : "Schedule saved: draft");
    } catch {
      setMessage("Not saved: the server did not answer");
    } finally {
      setBusy(false);
    }
  }

  async function moment(which: "close" | "reveal", undo: boolean) {
    setConfirming(undefined);
    setBusy(true);
    try {
      const result = await onMoment(which, undo);
      describe(result, undo ? `Manual ${which} undone` : which === "close" ? "Closed now: no more answers" : "Revealed now: residents see the answer");
      if (result.ok) {
        const now = new Date().toISOString();
        setManual((m) =>
          which === "close" ? { closedAt: undo ? null : now, revealedAt: undo ? null : m.revealedAt } : { revealedAt: undo ? null : now, closedAt: undo ? m.closedAt : (m.closedAt ?? now) },
        );
      }
    } catch {
      setMessage("Not saved: the server did not answer");
    } finally {
      setBusy(false);
    }
  }

  const timeField = (key: keyof Times, label: string) => (
    <div className="field">
      <label htmlFor={`schedule-${key}`}>{label}</label>
      <input
        id={`schedule-${key}`}
        type="datetime-local"
        value={times[key]}
        disabled={!mounted}
        onChange={(e) => setTimes((t) => ({ ...t, [key]: e.target.value }))}
        aria-invalid={errorsOf(key).length ? true : undefined}
      />
      {errorsOf(key).map((m) => (
        <span key={m} className="field-error">
          {m}
        </span>
      ))}
    </div>
  );

  const published = meta.status === "published";
  return (
    <section className="card editor-section" aria-labelledby="schedule-heading">
      <h3 id="schedule-heading">Schedule</h3>
      <p className="muted editor-help">
        Phase now: <span className={`status status-${phase}`} data-testid="editor-phase">{phaseLabels[phase]}</span>
        {zone ? <> · times in {zone}</> : null}
      </p>
      <div className="field">
        <label htmlFor="schedule-status">Status</label>
        <select id="schedule-status" value={status} onChange={(e) => setStatus(e.target.value as "draft" | "published")}>
          <option value="draft">Draft (only authors see it)</option>
          <option value="published">Published (residents see it from the opening time)</option>
        </select>
        {errorsOf("status").map((m) => (
          <span key={m} className="field-error">
            {m}
          </span>
        ))}
      </div>
      <div className="schedule-times">
        {timeField("opensAt", "Opens")}
        {timeField("closesAt", "Closes")}
        {timeField("revealsAt", "Reveals")}
      </div>
      <button type="button" className="btn btn-primary" onClick={save} disabled={busy || !mounted || Object.keys(local).length > 0}>
        Save schedule
      </button>
      {message ? (
        <p className="editor-message" role="status" data-testid="schedule-message">
          {message}
        </p>
      ) : null}

      <div className="manual-moments">
        <h4>Ahead of the schedule</h4>
        {!published ? <p className="muted editor-help">Publish the case to close or reveal it by hand.</p> : null}
        <div className="inline-row">
          {manual.closedAt ? (
            <button type="button" className="btn" disabled={busy || !published} onClick={() => moment("close", true)}>
              Undo manual close
            </button>
          ) : confirming === "close" ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => moment("close", false)}>
              Confirm: close now
            </button>
          ) : (
            <button type="button" className="btn" disabled={busy || !published || phase === "closed" || phase === "revealed"} onClick={() => setConfirming("close")}>
              Close now
            </button>
          )}
          {manual.revealedAt ? (
            <button type="button" className="btn" disabled={busy || !published} onClick={() => moment("reveal", true)}>
              Undo manual reveal
            </button>
          ) : confirming === "reveal" ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => moment("reveal", false)}>
              Confirm: reveal now
            </button>
          ) : (
            <button type="button" className="btn" disabled={busy || !published || phase === "revealed"} onClick={() => setConfirming("reveal")}>
              Reveal now
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
