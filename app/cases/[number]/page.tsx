import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { getDb } from "@/db/client";
import { getCaseContent, getPublicCaseByNumber, listCaseSeries, listCoAuthorIds, listKeyImages } from "@/db/queries/cases";
import { requireUser } from "@/lib/auth/session";
import { getNextTransition } from "@/lib/cases/lifecycle";
import { transitionLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";
import { getMeasurements, getWindowPresets } from "@/db/queries/viewer-state";
import { ResidentCaseView } from "./_components/case-view";
import { CollectionNavSkeleton, StreamedCollectionNav, StreamedRevealResults, StreamedSubmissionPanel, RevealResultsSkeleton, SubmissionPanelSkeleton } from "./_components/streamed";
import { saveMeasurementsAction, saveWindowPresetsAction } from "./viewer-actions";

type Props = { params: Promise<{ number: string }> };

// Cases are addressed by number, never by slug: a slug often names the diagnosis. The page title likewise
// stays "Case 12" until the reveal.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Case ${number.slice(0, 8)}` };
}

/**
 * The case page. Only what the viewer needs waits for the first byte: the user, the case, visibility, the series
 * list and the user's viewer state (plus, when visibility allows the full case, its text and key images). The
 * submission panel, the collection links and the reveal's results stream in behind Suspense boundaries, so the
 * shell, the viewer's scripts and the preload of the first image leave the server first.
 */
export default async function CasePage({ params }: Props) {
  const { number } = await params;
  // The session decode (plus its user query) and the case row are independent: read them side by side. The
  // user is memoised per request (lib/auth/session), so the root layout's ask is the same one.
  const dbReady = getDb();
  const [user, db, c] = await Promise.all([
    requireUser(`/cases/${encodeURIComponent(number)}`),
    dbReady,
    dbReady.then((d) => getPublicCaseByNumber(d, number)),
  ]);
  if (!c) notFound();
  const now = new Date();
  // Co-authors decide visibility; the series and the user's own viewer state are read in the same round (none of
  // them is sent unless visibility allows the case below).
  const [coAuthorIds, seriesList, measurements, presets] = await Promise.all([
    listCoAuthorIds(db, c.id),
    listCaseSeries(db, c.id),
    getMeasurements(db, user.id, c.id),
    getWindowPresets(db, user.id),
  ]);
  const access = getCaseAccess(c, user, now, coAuthorIds);
  if (access.level === "none") notFound();

  const full = access.level === "full";
  const next = getNextTransition(c, now);
  const revealed = access.phase === "revealed";
  // The hidden text and key images are read only when visibility allows the full case.
  const [content, keyImages] = full ? await Promise.all([getCaseContent(db, c.id), listKeyImages(db, c.id)]) : [undefined, []];

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
          <Suspense fallback={<CollectionNavSkeleton />}>
            <StreamedCollectionNav caseId={c.id} user={user} now={now} />
          </Suspense>
        </>
      }
      answerSlot={
        <Suspense fallback={<SubmissionPanelSkeleton />}>
          <StreamedSubmissionPanel c={c} user={user} now={now} />
        </Suspense>
      }
      resultsSlot={
        revealed ? (
          <Suspense fallback={<RevealResultsSkeleton />}>
            <StreamedRevealResults caseId={c.id} />
          </Suspense>
        ) : null
      }
      persistence={{
        initialMeasurements: measurements,
        onMeasurementsChange: saveMeasurementsAction.bind(null, String(c.number)),
        userPresets: presets,
        onUserPresetsChange: saveWindowPresetsAction,
      }}
    />
  );
}
