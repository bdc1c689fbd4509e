import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseContent, getPublicCaseByNumber, listCaseSeries, listCoAuthorIds, listKeyImages } from "@/db/queries/cases";
import { requireUser } from "@/lib/auth/session";
import { getNextTransition } from "@/lib/cases/lifecycle";
import { transitionLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";
import { ResidentCaseView } from "./_components/case-view";

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

  const seriesList = await listCaseSeries(db, c.id);
  // The hidden text and key images are read only when visibility allows the full case.
  const [content, keyImages] = access.level === "full" ? await Promise.all([getCaseContent(db, c.id), listKeyImages(db, c.id)]) : [undefined, []];
  const next = getNextTransition(c, now);

  return (
    <ResidentCaseView
      c={c}
      phase={access.phase}
      series={seriesList}
      content={content}
      keyImages={keyImages}
      headerSlot={
        next ? (
          <span className="muted">
            {transitionLabels[next.phase]} <LocalTime iso={next.at.toISOString()} />
          </span>
        ) : null
      }
      answerSlot={
        <p className="notice" data-testid="submission-placeholder">
          Submitting a diagnosis arrives with the Diagnosis Please release (submissions, grading and leaderboards). For
          now, study the history and the images.
        </p>
      }
    />
  );
}
