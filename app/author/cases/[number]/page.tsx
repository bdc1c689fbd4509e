import type { Metadata } from "next";
import Link from "next/link";
import { listCollectionChoices } from "@/db/queries/case-editing";
import { listCaseSeries, listKeyImages } from "@/db/queries/cases";
import { countHeldImages } from "@/db/queries/held-images";
import { listCaseSeriesForNaming } from "@/db/queries/series-names";
import { getUserById } from "@/db/queries/users";
import { toViewerSeries } from "@/app/cases/[number]/_components/case-images";
import { documentOf } from "@/lib/cases/editor";
import { getPhase } from "@/lib/cases/lifecycle";
import { suggestSeriesDescription } from "@/lib/cases/series-description";
import { CaseEditor } from "./_components/case-editor";
import { ExportButton } from "./_components/export-button";
import { editorDocOf } from "./_components/editor-doc";
import { loadEditableCasePage } from "./_lib/load-editable-case-page";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Edit case ${number.slice(0, 8)}` };
}

export default async function EditCasePage({ params }: Props) {
  const { number } = await params;
  const now = new Date();
  const { db, caseId, loaded } = await loadEditableCasePage(number, "", now);
  const c = loaded.case;
  // Editors may see everything of the case (loadEditableCase asked visibility), key images included.
  const [author, seriesList, keyImages, held] = await Promise.all([
    c.authorId ? getUserById(db, c.authorId) : undefined,
    listCaseSeries(db, c.id, { includeHeld: true }),
    listKeyImages(db, c.id),
    countHeldImages(db, caseId),
  ]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
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
