import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCoAuthorIds, listLibraryCases } from "@/db/queries/cases";
import { requireStaff } from "@/lib/auth/session";
import { getCaseAccess } from "@/lib/cases/visibility";
import { uploadLimits } from "@/lib/uploads/limits";
import { UploadClient, type UploadCaseOption } from "./_components/upload-client";

export const metadata: Metadata = { title: "Upload images" };

type Props = { searchParams: Promise<{ case?: string }> };

export default async function UploadPage({ searchParams }: Props) {
  const user = await requireStaff("/author/upload");
  const { case: caseParam } = await searchParams;
  const db = await getDb();
  const now = new Date();
  const rows = await listLibraryCases(db, { includeUnopened: true, now });
  const editable: UploadCaseOption[] = [];
  for (const c of rows.sort((a, b) => a.number - b.number)) {
    if (getCaseAccess(c, user, now, await listCoAuthorIds(db, c.id)).canEdit) editable.push({ id: c.id, number: c.number, slug: c.slug });
  }
  const preselected = editable.find((c) => String(c.number) === caseParam)?.id ?? null;
  return (
    <main className="page">
      <p className="muted">
        <Link href="/author">Authoring</Link> / Upload images
      </p>
      <h1>Upload images</h1>
      <p className="muted">
        Drop DICOM files, folders or zip archives (up to 2 GB per upload). Every file is de-identified and converted to
        uncompressed DICOM on the server; nothing is added to the case until you confirm the series below.
      </p>
      {editable.length === 0 ? (
        <p className="notice" data-testid="upload-no-cases">
          You may not edit any case yet: uploads go into a case you author or co-author.
        </p>
      ) : (
        <UploadClient cases={editable} initialCaseId={preselected} limits={{ maxUploadBytes: uploadLimits.maxUploadBytes, maxFiles: uploadLimits.maxFiles }} />
      )}
    </main>
  );
}
