import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { answerKeys, caseContent, instances, series } from "../schema";

/** The series of a case with what the naming list shows: description, modality, number, and one orientation. */
export async function listCaseSeriesForNaming(db: Db, caseId: string) {
  const rows = await db
    .select({ id: series.id, description: series.description, modality: series.modality, seriesNumber: series.seriesNumber, instanceCount: series.instanceCount })
    .from(series)
    .where(eq(series.caseId, caseId))
    .orderBy(asc(series.position));
  const out = [];
  for (const r of rows) {
    const [first] = await db.select({ imageOrientation: instances.imageOrientation }).from(instances).where(eq(instances.seriesId, r.id)).orderBy(asc(instances.sortIndex)).limit(1);
    out.push({ ...r, imageOrientation: first?.imageOrientation ?? null });
  }
  return out;
}

/** The phrases a public description of the case must not contain: title, answer-key diagnosis, synonyms, partials. */
export async function listAnswerPhrases(db: Db, caseId: string): Promise<string[]> {
  const [content] = await db.select({ title: caseContent.title }).from(caseContent).where(eq(caseContent.caseId, caseId)).limit(1);
  const [key] = await db.select().from(answerKeys).where(eq(answerKeys.caseId, caseId)).limit(1);
  return [content?.title ?? "", key?.diagnosis ?? "", ...(key?.synonyms ?? []), ...(key?.partial ?? [])].filter(Boolean);
}

/** Sets a series' description if it belongs to the case; true if a row changed. */
export async function setSeriesDescription(db: Db, caseId: string, seriesId: string, description: string): Promise<{ from: string } | undefined> {
  const [before] = await db.select({ description: series.description }).from(series).where(and(eq(series.id, seriesId), eq(series.caseId, caseId))).limit(1);
  if (!before) return undefined;
  await db.update(series).set({ description }).where(and(eq(series.id, seriesId), eq(series.caseId, caseId)));
  return { from: before.description };
}
