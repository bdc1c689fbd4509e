import { getDb } from "@/db/client";
import type { PublicCase } from "@/db/queries/cases";
import { listCollectionsOfCase } from "@/db/queries/collections";
import { listAnswerGroups, listCorrectEntrants } from "@/db/queries/submissions";
import type { CurrentUser } from "@/lib/auth/session";
import { getCaseAccess } from "@/lib/cases/visibility";
import { loadSubmissionPanel } from "@/lib/submissions/panel-data";
import { CollectionNav, type CollectionPosition } from "./collection-nav";
import { RevealResults } from "./reveal-results";
import { SubmissionPanel } from "./submission-panel";

// The parts of the case page that stream in after the viewer (each behind a Suspense boundary of page.tsx).
// Each reads its own data; the page has already asked lib/cases/visibility that the user may see the case, and
// passes the results part only after the reveal. Their skeletons keep the space the real part takes.

/** Neighbours in each collection, skipping cases this user may not see yet. */
export async function StreamedCollectionNav({ caseId, user, now }: { caseId: string; user: CurrentUser; now: Date }) {
  const memberships = await listCollectionsOfCase(await getDb(), caseId);
  const positions: CollectionPosition[] = memberships.map((m) => {
    const visible = m.cases.filter((x) => x.id === caseId || getCaseAccess(x, user, now).level !== "none");
    const index = visible.findIndex((x) => x.id === caseId);
    return { slug: m.slug, title: m.title, index, total: visible.length, previous: visible[index - 1], next: visible[index + 1] };
  });
  return <CollectionNav positions={positions.slice(0, 1)} />;
}

export function CollectionNavSkeleton() {
  return <span className="collection-nav skeleton skeleton-line" style={{ width: "18rem" }} aria-hidden="true" data-testid="collection-nav-skeleton" />;
}

/** The user's entries and the form (loadSubmissionPanel never reads the answer key). */
export async function StreamedSubmissionPanel({ c, user, now }: { c: PublicCase; user: CurrentUser; now: Date }) {
  const panel = await loadSubmissionPanel(await getDb(), c, user, now);
  return <SubmissionPanel {...panel} />;
}

export function SubmissionPanelSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading your entry" data-testid="submission-skeleton" style={{ minHeight: 236 }}>
      {[0, 1, 2].map((i) => (
        <div key={i} style={{ marginBottom: ".6rem" }}>
          <div className="skeleton skeleton-line" style={{ width: "6rem", marginBottom: ".3rem" }} />
          <div className="skeleton" style={{ height: "2.1rem" }} />
        </div>
      ))}
      <div className="skeleton" style={{ height: "2.1rem", width: "9rem" }} />
    </div>
  );
}

/** After the reveal (the page passes this only then): who was right and the most common answers. */
export async function StreamedRevealResults({ caseId }: { caseId: string }) {
  const db = await getDb();
  const [correct, answers] = await Promise.all([listCorrectEntrants(db, caseId), listAnswerGroups(db, caseId)]);
  return <RevealResults correct={correct} answers={answers} />;
}

export function RevealResultsSkeleton() {
  return <section className="card" style={{ marginTop: "1rem", minHeight: 160 }} aria-busy="true" aria-label="Loading results" data-testid="results-skeleton" />;
}
