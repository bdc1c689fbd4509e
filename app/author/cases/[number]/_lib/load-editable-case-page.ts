import "server-only";
import { forbidden, notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseIdByNumber } from "@/db/queries/case-editing";
import { requireStaff } from "@/lib/auth/session";
import { loadEditableCase } from "@/lib/cases/editor";

/**
 * The case an authoring page under /author/cases/<number> works on: signs a resident or a visitor out to the
 * sign-in page (requireStaff), answers 404 for an unknown case and 403 for an educator who may not edit it.
 */
export async function loadEditableCasePage(number: string, subpath = "", now = new Date()) {
  const user = await requireStaff(`/author/cases/${encodeURIComponent(number)}${subpath}`);
  const db = await getDb();
  const caseId = await getCaseIdByNumber(db, number);
  if (!caseId) notFound();
  const loaded = await loadEditableCase(db, user, caseId, now);
  if ("reason" in loaded) {
    if (loaded.reason === "forbidden") forbidden();
    notFound();
  }
  return { user, db, caseId, loaded };
}
