import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseContent, getPublicCaseByNumber, listCaseSeries, listCoAuthorIds, listKeyImages } from "@/db/queries/cases";
import { requireUser } from "@/lib/auth/session";
import { getNextTransition } from "@/lib/cases/lifecycle";
import { transitionLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";
import { listCollectionsOfCase } from "@/db/queries/collections";
import { listAnswerGroups, listCorrectEntrants } from "@/db/queries/submissions";
import { getMeasurements, getWindowPresets } from "@/db/queries/viewer-state";
import { loadSubmissionPanel } from "@/lib/submissions/panel-data";
import { ResidentCaseView } from "./_components/case-view";
import { CollectionNav, type CollectionPosition } from "./_components/collection-nav";
import { RevealResults } from "./_components/reveal-results";
import { SubmissionPanel } from "./_components/submission-panel";
import { saveMeasurementsAction, saveWindowPresetsAction } from "./viewer-actions";

type Props = { params: Promise<{ number: string }> };

// Cases are addressed by number, never by slug: a slug often names the diagnosis. The page title likewise
// stays "Case 12" until the reveal.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Case ${number.slice(0, 8)}` };
}

export default async function CasePage({ params }: Props) {
  const { number } = await params;
  const user = await requireUser(`/cases/${encodeURIComponent(number)}`);
  const db = await getDb();
  const c = await getPublicCaseByNumber(db, number);
  if (!c) notFound();
  const now = new Date();
  const access = getCaseAccess(c, user, now, await listCoAuthorIds(db, c.id));
  if (access.level === "none") notFound();

  const full = access.level === "full";
  const next = getNextTransition(c, now);
  const revealed = access.phase === "revealed";
  // One round of independent reads once access is decided (PostgreSQL runs them side by side). The hidden text
  // and key images are read only when visibility allows the full case.
  const [seriesList, content, keyImages, panel, measurements, presets, correct, answers, memberships] = await Promise.all([
    listCaseSeries(db, c.id),
    full ? getCaseContent(db, c.id) : undefined,
    full ? listKeyImages(db, c.id) : [],
    loadSubmissionPanel(db, c, user, now),
    getMeasurements(db, user.id, c.id),
    getWindowPresets(db, user.id),
    revealed ? listCorrectEntrants(db, c.id) : [],
    revealed ? listAnswerGroups(db, c.id) : [],
    listCollectionsOfCase(db, c.id),
  ]);
  // Neighbours in each collection, skipping cases this user may not see yet.
  const positions: CollectionPosition[] = memberships.map((m) => {
    const visible = m.cases.filter((x) => x.id === c.id || getCaseAccess(x, user, now).level !== "none");
    const index = visible.findIndex((x) => x.id === c.id);
    return { slug: m.slug, title: m.title, index, total: visible.length, previous: visible[index - 1], next: visible[index + 1] };
  });

  return (
    <ResidentCaseView
      c={c}
      phase={access.phase}
      series={seriesList}
      content={content}
      keyImages={keyImages}
      headerSlot={
        <>
          {next ? (
            <span className="muted">
              {transitionLabels[next.phase]} <LocalTime iso={next.at.toISOString()} />
            </span>
          ) : null}
          <CollectionNav positions={positions.slice(0, 1)} />
        </>
      }
      answerSlot={<SubmissionPanel {...panel} />}
      resultsSlot={revealed ? <RevealResults correct={correct} answers={answers} /> : null}
      persistence={{
        initialMeasurements: measurements,
        onMeasurementsChange: saveMeasurementsAction.bind(null, String(c.number)),
        userPresets: presets,
        onUserPresetsChange: saveWindowPresetsAction,
      }}
    />
  );
}
