"use client";

import { useActionState } from "react";
import { LocalTime } from "@/app/_components/local-time";
import type { EntryView, SubmissionPanelData } from "@/lib/submissions/panel-data";
import { submitAnswer, submitGroupAnswer, type SubmissionActionState } from "../actions";

const verdictLabels: Record<string, string> = { correct: "Correct", partial: "Partly right", incorrect: "Not this time", review: "Awaiting an educator's review" };
const rankLabels = ["Most likely", "Second", "Third"] as const;

function AnswerFields({ answers, idPrefix, disabled }: { answers: string[]; idPrefix: string; disabled: boolean }) {
  return (
    <ol style={{ paddingLeft: "1.2rem", margin: "0 0 .6rem" }}>
      {rankLabels.map((label, i) => (
        <li key={label} className="field" style={{ marginBottom: ".4rem" }}>
          <label htmlFor={`${idPrefix}-${i}`}>{label}{i === 0 ? "" : " (optional)"}</label>
          <input
            id={`${idPrefix}-${i}`}
            name="answer"
            defaultValue={answers[i] ?? ""}
            maxLength={500}
            required={i === 0}
            disabled={disabled}
            autoComplete="off"
            data-testid={`${idPrefix}-answer-${i + 1}`}
          />
        </li>
      ))}
    </ol>
  );
}

function Feedback({ state, testId }: { state: SubmissionActionState; testId: string }) {
  if (!state) return null;
  if (state.ok) {
    return (
      <p className="muted" role="status" data-testid={`${testId}-saved`}>
        {state.message}
        {state.practice ? ` Practice verdict: ${verdictLabels[state.practice.verdict] ?? state.practice.verdict}.` : null}
      </p>
    );
  }
  const messages = [state.error, ...Object.values(state.fieldErrors ?? {})].filter(Boolean);
  return (
    <div className="form-error" role="alert" data-testid={`${testId}-error`}>
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

function EntrySummary({ entry, label, testId }: { entry: EntryView; label: string; testId: string }) {
  return (
    <div data-testid={testId} style={{ marginBottom: ".6rem" }}>
      <div className="muted" style={{ fontSize: ".85rem" }}>
        {label}, saved <LocalTime iso={entry.submittedAtIso} withRelative={false} />
        {entry.lastEditedByName ? <> by {entry.lastEditedByName}</> : null}
      </div>
      <ol style={{ paddingLeft: "1.2rem", margin: ".25rem 0" }}>
        {entry.answers.map((a, i) => (
          <li key={i}>{a}</li>
        ))}
      </ol>
      {entry.verdict ? (
        <div data-testid={`${testId}-verdict`}>
          <strong>{verdictLabels[entry.verdict] ?? entry.verdict}</strong>
          {entry.score !== null && entry.verdict !== "review" ? <span className="muted"> · {entry.score} point{entry.score === 1 ? "" : "s"}</span> : null}
        </div>
      ) : null}
      {entry.history.length > 1 ? (
        <details>
          <summary className="muted" style={{ cursor: "pointer" }}>
            History ({entry.history.length} versions)
          </summary>
          <ul style={{ paddingLeft: "1.2rem", margin: ".25rem 0" }} data-testid={`${testId}-history`}>
            {entry.history.map((h, i) => (
              <li key={`${h.atIso}-${i}`}>
                <LocalTime iso={h.atIso} withRelative={false} />
                {h.editedByName ? ` · ${h.editedByName}` : ""}: {h.answers.join(" / ")}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function GroupForm({ data, group }: { data: SubmissionPanelData; group: SubmissionPanelData["groups"][number] }) {
  const [state, action, pending] = useActionState(submitGroupAnswer, null);
  const prefix = `group-${group.id.slice(0, 8)}`;
  return (
    <section style={{ borderTop: "1px solid var(--border)", paddingTop: ".6rem", marginTop: ".6rem" }} data-testid="group-entry">
      <h4 style={{ margin: "0 0 .4rem" }}>{group.name}: group entry</h4>
      {group.entry ? <EntrySummary entry={group.entry} label="Group entry" testId={`${prefix}-current`} /> : <p className="muted">No group entry yet.</p>}
      {data.acceptsGroupEntries ? (
        <form action={action} key={group.entry?.submittedAtIso ?? "new"}>
          <input type="hidden" name="caseId" value={data.caseId} />
          <input type="hidden" name="caseNumber" value={data.caseNumber} />
          <input type="hidden" name="groupId" value={group.id} />
          <AnswerFields answers={group.entry?.answers ?? []} idPrefix={prefix} disabled={pending} />
          <Feedback state={state} testId={prefix} />
          <button className="btn" type="submit" disabled={pending}>
            {group.entry ? "Update group entry" : "Submit group entry"}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * The ranked-differential form of a case: the resident's own entry (competition while open, practice after the
 * reveal) with its history and server timestamps, and one group entry per resident group they belong to.
 * Data comes from loadSubmissionPanel (lib/submissions/panel-data.ts).
 */
export function SubmissionPanel(props: SubmissionPanelData) {
  const [state, action, pending] = useActionState(submitAnswer, null);
  const practiceMode = props.acceptsMode === "practice";
  const current = practiceMode ? props.practice : props.entry;
  return (
    <div data-testid="submission-panel">
      {props.entry ? <EntrySummary entry={props.entry} label="Your entry" testId="own-entry" /> : null}
      {props.practice ? <EntrySummary entry={props.practice} label="Your practice answer (not counted)" testId="practice-entry" /> : null}
      {props.acceptsMode ? (
        <form action={action} key={current?.submittedAtIso ?? "new"}>
          <input type="hidden" name="caseId" value={props.caseId} />
          <input type="hidden" name="caseNumber" value={props.caseNumber} />
          <input type="hidden" name="mode" value={props.acceptsMode} />
          {practiceMode ? (
            <p className="muted">Practice: this case is revealed, so your answer is graded at once and does not count on the leaderboards.</p>
          ) : props.deadlineIso ? (
            <p className="muted">
              You may edit your entry until <LocalTime iso={props.deadlineIso} />; the last version counts.
            </p>
          ) : null}
          <AnswerFields answers={current?.answers ?? []} idPrefix="own" disabled={pending} />
          <Feedback state={state} testId="own" />
          <button className="btn btn-primary" type="submit" disabled={pending} data-testid="submit-answer">
            {pending ? "Saving…" : current ? "Update my answer" : practiceMode ? "Check my answer" : "Submit my answer"}
          </button>
        </form>
      ) : (
        <p className="notice" data-testid="submission-closed">
          {props.refusal}
        </p>
      )}
      {props.groups.map((g) => (
        <GroupForm key={g.id} data={props} group={g} />
      ))}
    </div>
  );
}
