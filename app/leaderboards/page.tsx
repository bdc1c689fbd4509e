import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Leaderboards" };

export default async function LeaderboardsPage() {
  await requireUser("/leaderboards");
  return (
    <main className="page" style={{ maxWidth: 900 }}>
      <h1>Leaderboards</h1>
      <p className="notice" data-testid="coming-soon">
        Leaderboards are not built yet. They arrive with the Diagnosis Please release: individuals (all time,
        this academic year, this month, streaks), resident groups weighted by active members, and a list per
        case of who was right.
      </p>
    </main>
  );
}
