import type { Metadata } from "next";
import Link from "next/link";
import { loadEditableCasePage } from "../_lib/load-editable-case-page";
import { listAnswerGroups, listReviewQueue } from "@/db/queries/submissions";
import { documentOf } from "@/lib/cases/editor";
import { getPhase } from "@/lib/cases/lifecycle";
import { phaseLabels } from "@/lib/cases/present";
import { VerdictButtons } from "./_components/verdict-buttons";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Review answers · case ${number.slice(0, 8)}` };
}

const verdictLabels: Record<string, string> = { correct: "Correct", partial: "Partial", incorrect: "Incorrect", review: "Under review" };

/**
 * Adjudication of one case: the answers the grader sent to review, one row per normalised answer, and every
 * competition answer group with its current verdict so any verdict can be overridden. Only those who may edit
 * the case (author, co-authors, admins) get in; residents get a 403 from requireStaff.
 */
export default async function ReviewAnswersPage({ params }: Props) {
  const { number } = await params;
  const { db, caseId, loaded } = await loadEditableCasePage(number, "/review");
  const c = loaded.case;
  const phase = getPhase(c, new Date());
  const [queue, groups] = await Promise.all([listReviewQueue(db, caseId), listAnswerGroups(db, caseId)]);
  const total = groups.reduce((n, g) => n + g.count, 0);

  return (
    <main className="page review-page">
      <div className="review-head">
        <h1>
          Review answers · Case {c.number}
          <span className="muted"> · {documentOf(loaded).title || "Untitled"}</span>
        </h1>
        <span className={`status status-${phase}`}>{phaseLabels[phase]}</span>
        <nav className="editor-links" aria-label="Case views">
          <Link href={`/author/cases/${c.number}`} className="btn">
            Back to the editor
          </Link>
          <Link href="/author" className="btn">
            All cases
          </Link>
        </nav>
      </div>

      <section className="card review-section" aria-labelledby="queue-heading" data-testid="review-queue">
        <h2 id="queue-heading">
          Awaiting review <span className="muted">· {queue.length} answer{queue.length === 1 ? "" : "s"}</span>
        </h2>
        <p className="muted">
          Answers the grader could not judge, grouped by normalised answer. A verdict applies to every entry in the group and to later
          entries with the same answer; leaderboards follow at once.
        </p>
        {queue.length === 0 ? (
          <p className="notice" data-testid="review-queue-empty">Nothing to review.</p>
        ) : (
          <table className="data review-table">
            <thead>
              <tr>
                <th scope="col">Answer (example)</th>
                <th scope="col">Normalised</th>
                <th scope="col">Entries</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.answerGroup} data-testid="review-group" data-answer-group={q.answerGroup}>
                  <td>
                    <span className="review-example">{q.examples[0] ?? "—"}</span>
                    {q.examples.length > 1 ? <div className="muted review-more">{q.examples.slice(1).join(" · ")}</div> : null}
                  </td>
                  <td>
                    <code>{q.answerGroup || "(empty)"}</code>
                  </td>
                  <td data-testid="review-count">
                    {q.count}
                    {q.competitionCount !== q.count ? <span className="muted"> ({q.competitionCount} competing)</span> : null}
                  </td>
                  <td>
                    <VerdictButtons caseId={caseId} caseNumber={c.number} answerGroup={q.answerGroup} current="review" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card review-section" aria-labelledby="all-heading" data-testid="answer-groups">
        <h2 id="all-heading">
          All competition answers <span className="muted">· {total} entr{total === 1 ? "y" : "ies"} in {groups.length} group{groups.length === 1 ? "" : "s"}</span>
        </h2>
        {groups.length === 0 ? (
          <p className="notice">No competition answers yet.</p>
        ) : (
          <table className="data review-table">
            <thead>
              <tr>
                <th scope="col">Answer (example)</th>
                <th scope="col">Normalised</th>
                <th scope="col">Entries</th>
                <th scope="col">Current</th>
                <th scope="col">Override</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.answerGroup} data-testid="answer-group" data-answer-group={g.answerGroup}>
                  <td>{g.example}</td>
                  <td>
                    <code>{g.answerGroup || "(empty)"}</code>
                  </td>
                  <td>{g.count}</td>
                  <td data-testid="answer-group-verdict">
                    <span className={`verdict-${g.verdict ?? "none"}`}>{g.verdict ? verdictLabels[g.verdict] : "—"}</span>
                  </td>
                  <td>
                    <VerdictButtons caseId={caseId} caseNumber={c.number} answerGroup={g.answerGroup} current={g.verdict} allowReview />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
