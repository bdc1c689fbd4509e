import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getIndividualStanding, listGroupLeaderboard, listIndividualLeaderboard, listRecentlyRevealedCases } from "@/db/queries/leaderboard";
import { listCorrectEntrants } from "@/db/queries/submissions";
import { requireUser } from "@/lib/auth/session";
import { periodLabels, periods, type Period } from "@/lib/leaderboard/scoring";

export const metadata: Metadata = { title: "Leaderboards" };

const searchSchema = z.object({ period: z.enum(periods).catch("all") });

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n * 10 === Math.round(n * 10) ? 1 : 2));

export default async function LeaderboardsPage({ searchParams }: Props) {
  const user = await requireUser("/leaderboards");
  const { period } = searchSchema.parse({ period: (await searchParams).period });
  const db = await getDb();
  const now = new Date();
  const [individuals, groups, standing, recent] = await Promise.all([
    listIndividualLeaderboard(db, { period, now, limit: 50 }),
    listGroupLeaderboard(db, { period, now }),
    getIndividualStanding(db, user.id, { period, now }),
    listRecentlyRevealedCases(db, now, 5),
  ]);
  // Per-case lists only for revealed cases (listRecentlyRevealedCases returns nothing else).
  const perCase = await Promise.all(recent.map(async (c) => ({ ...c, entrants: await listCorrectEntrants(db, c.id) })));

  return (
    <main className="page" style={{ maxWidth: 1000 }}>
      <h1>Leaderboards</h1>
      <nav aria-label="Period" style={{ display: "flex", gap: ".5rem", marginBottom: "1rem" }}>
        {periods.map((p: Period) => (
          <Link key={p} href={p === "all" ? "/leaderboards" : `/leaderboards?period=${p}`} className={p === period ? "btn btn-primary" : "btn"} aria-current={p === period ? "page" : undefined}>
            {periodLabels[p]}
          </Link>
        ))}
      </nav>
      <p className="muted">
        Points from competition entries on revealed cases: correct 1, partly right ½, otherwise 0. Answers waiting for
        an educator&apos;s review count once judged. Practice answers never count. Streaks run over revealed cases in
        case order.
        {standing ? ` You are #${standing.rank} with ${fmt(standing.points)} points (${standing.answered} cases).` : ""}
      </p>

      <section className="card" style={{ marginBottom: "1rem" }} aria-labelledby="individuals-heading">
        <h2 id="individuals-heading" style={{ marginTop: 0 }}>
          Individuals · {periodLabels[period]}
        </h2>
        {individuals.length === 0 ? (
          <p className="muted" data-testid="individuals-empty">No counted entries in this period yet.</p>
        ) : (
          <table className="data" data-testid="individual-leaderboard">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Resident</th>
                <th className="num">Points</th>
                <th className="num">Correct</th>
                <th className="num">Partial</th>
                <th className="num">Cases</th>
                <th className="num">Streak</th>
                <th className="num">Best streak</th>
              </tr>
            </thead>
            <tbody>
              {individuals.map((r) => (
                <tr key={r.userId} aria-current={r.userId === user.id ? "true" : undefined}>
                  <td className="num">{r.rank}</td>
                  <td>{r.displayName}{r.userId === user.id ? " (you)" : ""}</td>
                  <td className="num">{fmt(r.points)}</td>
                  <td className="num">{r.correct}</td>
                  <td className="num">{r.partial}</td>
                  <td className="num">{r.answered}</td>
                  <td className="num">{r.streak}</td>
                  <td className="num">{r.bestStreak}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" style={{ marginBottom: "1rem" }} aria-labelledby="groups-heading">
        <h2 id="groups-heading" style={{ marginTop: 0 }}>
          Resident groups · {periodLabels[period]}
        </h2>
        <p className="muted">
          Score = the group entries&apos; points + the members&apos; points divided by the number of active members (members
          with a counted entry in the period), so a small program can beat a large one.
        </p>
        {groups.length === 0 ? (
          <p className="muted" data-testid="groups-empty">No group has counted entries in this period yet.</p>
        ) : (
          <table className="data" data-testid="group-leaderboard">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Group</th>
                <th className="num">Score</th>
                <th className="num">Group entries</th>
                <th className="num">Members&apos; points</th>
                <th className="num">Active / members</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.groupId}>
                  <td className="num">{g.rank}</td>
                  <td>{g.name}</td>
                  <td className="num">{fmt(g.score)}</td>
                  <td className="num">{fmt(g.groupEntryPoints)}</td>
                  <td className="num">{fmt(g.memberPoints)}</td>
                  <td className="num">
                    {g.activeMembers} / {g.members}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="cases-heading">
        <h2 id="cases-heading" style={{ marginTop: 0 }}>
          Who was right
        </h2>
        {perCase.length === 0 ? <p className="muted">No case has been revealed yet.</p> : null}
        {perCase.map((c) => (
          <div key={c.id} style={{ marginBottom: ".8rem" }} data-testid="case-congratulations">
            <h3 style={{ margin: "0 0 .25rem" }}>
              <Link href={`/cases/${c.number}`}>Case {c.number}</Link>
              {c.title ? <span className="muted" style={{ fontWeight: 400 }}> · {c.title}</span> : null}
            </h3>
            {c.entrants.length === 0 ? (
              <p className="muted" style={{ margin: 0 }}>Nobody had it this time.</p>
            ) : (
              <p style={{ margin: 0 }}>
                {c.entrants.map((e, i) => (
                  <span key={e.submissionId}>
                    {i > 0 ? ", " : ""}
                    {e.displayName}
                    {e.kind === "group" ? " (group)" : ""}
                  </span>
                ))}
              </p>
            )}
          </div>
        ))}
      </section>
    </main>
  );
}
