import type { listAnswerGroups, listCorrectEntrants } from "@/db/queries/submissions";
import { LocalTime } from "@/app/_components/local-time";

type Props = {
  correct: Awaited<ReturnType<typeof listCorrectEntrants>>;
  answers: Awaited<ReturnType<typeof listAnswerGroups>>;
};

const verdictLabel: Record<string, string> = { correct: "Correct", partial: "Partial", incorrect: "Incorrect", review: "Under review" };

/** After the reveal: who was right (in order of submission) and the most common answers as the grader grouped them. */
export function RevealResults({ correct, answers }: Props) {
  const people = correct.filter((e) => e.kind === "user");
  const groups = correct.filter((e) => e.kind === "group");
  const top = answers.slice(0, 8);
  const max = Math.max(1, ...top.map((a) => a.count));
  return (
    <section className="card" style={{ marginTop: "1rem" }} aria-labelledby="results-heading" data-testid="reveal-results">
      <h2 id="results-heading">Congratulations</h2>
      {correct.length === 0 ? <p className="muted">Nobody named the diagnosis first this time.</p> : null}
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(260px, 1fr))", gap: "1rem" }}>
        {people.length ? (
          <div>
            <h3>Residents</h3>
            <ol data-testid="congratulations-residents">
              {people.map((e) => (
                <li key={e.submissionId}>
                  {e.displayName} <span className="muted">· <LocalTime iso={new Date(e.submittedAt).toISOString()} withRelative={false} /></span>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        {groups.length ? (
          <div>
            <h3>Resident groups</h3>
            <ol data-testid="congratulations-groups">
              {groups.map((e) => (
                <li key={e.submissionId}>
                  {e.displayName} <span className="muted">· <LocalTime iso={new Date(e.submittedAt).toISOString()} withRelative={false} /></span>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </div>
      {top.length ? (
        <>
          <h2 style={{ marginTop: "1rem" }}>Most common answers</h2>
          <table className="data" data-testid="answer-chart">
            <tbody>
              {top.map((a) => (
                <tr key={a.answerGroup}>
                  <td style={{ width: "40%" }}>{a.example}</td>
                  <td style={{ width: "45%" }}>
                    <div aria-hidden="true" className={`bar bar-${a.verdict ?? "none"}`} style={{ width: `${(a.count / max) * 100}%` }} />
                  </td>
                  <td>
                    {a.count} · <span className={`verdict-${a.verdict ?? "none"}`}>{a.verdict ? verdictLabel[a.verdict] : "—"}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
