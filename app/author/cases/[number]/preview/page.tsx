import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseContent, getPublicCaseByNumber, listCaseSeries, listCoAuthorIds, listKeyImages } from "@/db/queries/cases";
import { requireStaff } from "@/lib/auth/session";
import { getCaseAccess } from "@/lib/cases/visibility";
import { ResidentCaseView } from "@/app/cases/[number]/_components/case-view";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<{ view?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Preview case ${number.slice(0, 8)}` };
}

/**
 * The case as a resident will see it, before or after the reveal, whatever its phase now. Before the reveal the
 * hidden text is not even read, so the preview carries exactly what a resident's page would.
 */
export default async function PreviewCasePage({ params, searchParams }: Props) {
  const { number } = await params;
  const after = (await searchParams).view === "after";
  const user = await requireStaff(`/author/cases/${encodeURIComponent(number)}/preview`);
  const db = await getDb();
  const c = await getPublicCaseByNumber(db, number);
  if (!c) notFound();
  const access = getCaseAccess(c, user, new Date(), await listCoAuthorIds(db, c.id));
  if (access.level !== "full") notFound();
  const seriesList = await listCaseSeries(db, c.id);
  const [content, keyImages] = after ? await Promise.all([getCaseContent(db, c.id), listKeyImages(db, c.id)]) : [undefined, []];

  return (
    <>
      <div className="preview-bar" role="region" aria-label="Preview controls">
        <strong>Preview as a resident</strong>
        <div className="segmented" role="group" aria-label="Moment">
          <Link href={`?view=before`} aria-current={after ? undefined : "page"} replace>
            Before reveal
          </Link>
          <Link href={`?view=after`} aria-current={after ? "page" : undefined} replace>
            After reveal
          </Link>
        </div>
        <span className="muted">Saved version; edits autosave within seconds.</span>
        {access.canEdit ? (
          <Link href={`/author/cases/${c.number}`} className="btn">
            Back to the editor
          </Link>
        ) : null}
      </div>
      <ResidentCaseView c={c} phase={after ? "revealed" : "open"} series={seriesList} content={content ?? undefined} keyImages={keyImages} testId="resident-preview" />
    </>
  );
}
