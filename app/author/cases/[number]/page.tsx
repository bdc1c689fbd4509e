import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseIdByNumber, listCollectionChoices } from "@/db/queries/case-editing";
import { listCaseSeries, listKeyImages } from "@/db/queries/cases";
import { countHeldImages } from "@/db/queries/held-images";
import { listCaseSeriesForNaming } from "@/db/queries/series-names";
import { getUserById } from "@/db/queries/users";
import { toViewerSeries } from "@/app/cases/[number]/_components/case-images";
import { requireStaff } from "@/lib/auth/session";
import { documentOf, loadEditableCase } from "@/lib/cases/editor";
import { getPhase } from "@/lib/cases/lifecycle";
import { suggestSeriesDescription } from "@/lib/cases/series-description";
import { CaseEditor } from "./_components/case-editor";
import { ExportButton } from "./_components/export-button";
import { editorDocOf } from "./_components/editor-doc";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Edit case ${number.slice(0, 8)}` };
}

export default async function EditCasePage({ params }: Props) {
  const { number } = await params;
  const user = await requireStaff(`/author/cases/${encodeURIComponent(number)}`);
  const db = await getDb();
  const caseId = await getCaseIdByNumber(db, number);
  if (!caseId) notFound();
  const now = new Date();
  const loaded = await loadEditableCase(db, user, caseId, now);
  if ("reason" in loaded) {
    if (loaded.reason === "forbidden") forbidden();
    notFound();
  }
  const c = loaded.case;
  const author = c.authorId ? await getUserById(db, c.authorId) : undefined;
  // Editors may see everything of the case (loadEditableCase asked visibility), key images included.
  const [seriesList, keyImages] = await Promise.all([listCaseSeries(db, c.id, { includeHeld: true }), listKeyImages(db, c.id)]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const held = await countHeldImages(db, caseId);
  return (
    <main className="page editor-page">
      <p className="editor-review-link">
        <Link href={`/author/cases/${c.number}/review`}>Review answers</Link>
        <ExportButton number={c.number} />
        {held > 0 ? (
          <Link href={`/author/cases/${c.number}/held`} className="held-link" data-testid="held-images-link">
            {held} {held === 1 ? "image" : "images"} held for review (possible burned-in text)
          </Link>
        ) : null}
      </p>
      <CaseEditor
        meta={{
          id: c.id,
          number: c.number,
          status: c.status,
          opensAt: iso(c.opensAt),
          closesAt: iso(c.closesAt),
          revealsAt: iso(c.revealsAt),
          closedAt: iso(c.closedAt),
          revealedAt: iso(c.revealedAt),
          authorName: author?.name ?? null,
          updatedAt: c.updatedAt.toISOString(),
        }}
        initialDoc={editorDocOf(documentOf(loaded))}
        initialVersion={loaded.version}
        initialPhase={getPhase(c, now)}
        collections={await listCollectionChoices(db)}
        coAuthors={loaded.coAuthors}
        images={{
          series: toViewerSeries(seriesList),
          keyImages: keyImages.map((k) => ({ seriesId: k.seriesId, instanceId: k.instanceId, caption: k.caption, annotations: k.annotations })),
        }}
        seriesNames={(await listCaseSeriesForNaming(db, c.id)).map((s) => ({
          id: s.id,
          description: s.description,
          suggestion: suggestSeriesDescription(s),
          modality: s.modality,
          seriesNumber: s.seriesNumber,
          instanceCount: s.instanceCount,
        }))}
      />
    </main>
  );
}
