import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCasesForDashboard } from "@/db/queries/case-editing";
import { requireStaff } from "@/lib/auth/session";
import { getNextTransition, phases, type Phase } from "@/lib/cases/lifecycle";
import { phaseLabels, transitionLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";

export const metadata: Metadata = { title: "Authoring" };

type Row = Awaited<ReturnType<typeof listCasesForDashboard>>[number] & { phase: Phase; canEdit: boolean };

const moment = (d: Date | null) => (d ? <LocalTime iso={d.toISOString()} withRelative={false} /> : <span className="muted">—</span>);

/**
 * One row per case. The "Case N" link is the row's only visible link (it opens the editor, or the case page for
 * cases this user may not edit); the other views sit in a small disclosure to keep the table dense.
 */
function CaseRows({ rows, now }: { rows: Row[]; now: Date }) {
  return (
    <tbody>
      {rows.map((c) => {
        const next = getNextTransition(c, now);
        return (
          <tr key={c.id} data-testid="author-case-row">
            <td>
              <Link href={c.canEdit ? `/author/cases/${c.number}` : `/cases/${c.number}`}>Case {c.number}</Link>
            </td>
            <td className="dash-title">{c.title ?? <span className="muted">Untitled</span>}</td>
            <td>
              <code>{c.slug}</code>
            </td>
            <td>
              <span className={`status status-${c.phase}`}>{phaseLabels[c.phase]}</span>
              {next ? (
                <div className="muted dash-next">
                  {transitionLabels[next.phase]} <LocalTime iso={next.at.toISOString()} />
                </div>
              ) : null}
            </td>
            <td>{moment(c.opensAt)}</td>
            <td>{moment(c.closedAt ?? c.closesAt)}</td>
            <td>{moment(c.revealedAt ?? c.revealsAt)}</td>
            <td className="muted dash-author">{c.authorName ?? "—"}</td>
            <td>
              <details className="row-menu">
                <summary>Views</summary>
                <div className="row-menu-list">
                  {c.canEdit ? <Link href={`/author/cases/${c.number}`}>Edit</Link> : null}
                  {c.canEdit ? <Link href={`/author/cases/${c.number}/review`}>Review answers</Link> : null}
                  <Link href={`/author/cases/${c.number}/preview?view=before`}>Preview before reveal</Link>
                  <Link href={`/author/cases/${c.number}/preview?view=after`}>Preview after reveal</Link>
                  <Link href={`/cases/${c.number}`}>Case page</Link>
                </div>
              </details>
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}

function Head() {
  return (
    <thead>
      <tr>
        <th scope="col">Case</th>
        <th scope="col">Title</th>
        <th scope="col">Slug</th>
        <th scope="col">Phase</th>
        <th scope="col">Opens</th>
        <th scope="col">Closes</th>
        <th scope="col">Reveals</th>
        <th scope="col" className="dash-author">Author</th>
        <th scope="col">
          <span className="visually-hidden">Views</span>
        </th>
      </tr>
    </thead>
  );
}

/** The educator's dashboard: their cases with phase and schedule, and the way to new ones. */
export default async function AuthorPage() {
  const user = await requireStaff("/author");
  const now = new Date();
  const all: Row[] = (await listCasesForDashboard(await getDb())).map((c) => {
    const access = getCaseAccess(c, user, now, c.coAuthorIds);
    return { ...c, phase: access.phase, canEdit: access.canEdit };
  });
  const mine = all.filter((c) => c.canEdit);
  const others = all.filter((c) => !c.canEdit);
  const counts = phases.map((p) => [p, mine.filter((c) => c.phase === p).length] as const).filter(([, n]) => n > 0);

  return (
    <main className="page">
      <div className="dash-head">
        <h1>Authoring</h1>
        <div className="chips" aria-label="Your cases by phase">
          {counts.map(([p, n]) => (
            <span key={p} className={`chip status-${p}`}>
              {phaseLabels[p]} · {n}
            </span>
          ))}
        </div>
        <div className="dash-actions">
          <Link href="/author/upload" className="btn">
            Upload DICOM
          </Link>
          <Link href="/author/cases/new" className="btn btn-primary">
            New case
          </Link>
        </div>
      </div>
      <h2 className="dash-section">{user.role === "admin" ? "All cases (admins edit every case)" : "Your cases and cases shared with you"}</h2>
      {mine.length ? (
        <div className="table-scroll">
          <table className="data dash-table">
            <Head />
            <CaseRows rows={mine} now={now} />
          </table>
        </div>
      ) : (
        <p className="notice">No cases yet. Start one with “New case”, or import a bundle (npm run cases:import).</p>
      )}
      {others.length ? (
        <>
          <h2 className="dash-section">Other educators’ cases (read only)</h2>
          {/* Not table.data: that class marks the cases this user edits. */}
          <div className="table-scroll">
            <table className="dash-table">
              <Head />
              <CaseRows rows={others} now={now} />
            </table>
          </div>
        </>
      ) : null}
    </main>
  );
}
