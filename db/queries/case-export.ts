import { asc, count, eq } from "drizzle-orm";
import type { Db } from "../client";
import { answerKeys, caseContent, cases, collectionCases, collections, instances, keyImages, series, studies, submissions, users } from "../schema";
import { listCoAuthors } from "./case-editing";

/** A case id by its slug or its display number ("12"); undefined when neither matches. */
export async function getCaseIdBySlugOrNumber(db: Db, ref: string): Promise<string | undefined> {
  const byNumber = /^[1-9][0-9]{0,8}$/.test(ref);
  const [row] = await db
    .select({ id: cases.id })
    .from(cases)
    .where(byNumber ? eq(cases.number, Number(ref)) : eq(cases.slug, ref))
    .limit(1);
  return row?.id;
}

/**
 * Everything a bundle export writes of one case: the row, hidden text, answer key, collections it belongs to,
 * its series in display order with their instances in slice order, its key images, the e-mail addresses of its
 * author and co-authors, and how many submissions it has (which bundles never carry). Callers must have asked
 * lib/cases/visibility whether the user may edit the case.
 */
export async function getCaseForExport(db: Db, caseId: string) {
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
  if (!c) return undefined;
  const [content] = await db.select().from(caseContent).where(eq(caseContent.caseId, caseId)).limit(1);
  const [answerKey] = await db.select().from(answerKeys).where(eq(answerKeys.caseId, caseId)).limit(1);
  const memberOf = await db
    .select({ slug: collections.slug, title: collections.title, description: collections.description })
    .from(collectionCases)
    .innerJoin(collections, eq(collectionCases.collectionId, collections.id))
    .where(eq(collectionCases.caseId, caseId))
    .orderBy(asc(collections.position), asc(collections.slug));
  const seriesRows = await db
    .select({ id: series.id, description: series.description, seriesNumber: series.seriesNumber, position: series.position, studyDescription: studies.description })
    .from(series)
    .innerJoin(studies, eq(series.studyId, studies.id))
    .where(eq(series.caseId, caseId))
    .orderBy(asc(series.position));
  const instanceRows = await db
    .select({ id: instances.id, seriesId: instances.seriesId, instanceNumber: instances.instanceNumber, sortIndex: instances.sortIndex, storageKey: instances.storageKey, byteSize: instances.byteSize })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(eq(series.caseId, caseId))
    .orderBy(asc(series.position), asc(instances.sortIndex));
  const keyImageRows = await db
    .select({ instanceId: keyImages.instanceId, caption: keyImages.caption, annotations: keyImages.annotations })
    .from(keyImages)
    .where(eq(keyImages.caseId, caseId))
    .orderBy(asc(keyImages.position));
  const [author] = c.authorId ? await db.select({ email: users.email }).from(users).where(eq(users.id, c.authorId)).limit(1) : [];
  const coAuthors = await listCoAuthors(db, caseId);
  const [{ n: submissionCount } = { n: 0 }] = await db.select({ n: count() }).from(submissions).where(eq(submissions.caseId, caseId));
  return {
    case: c,
    content,
    answerKey,
    authorEmail: author?.email,
    coAuthorEmails: coAuthors.map((a) => a.email).sort(),
    submissionCount: Number(submissionCount),
    collections: memberOf,
    series: seriesRows.map((s) => ({ ...s, instances: instanceRows.filter((i) => i.seriesId === s.id) })),
    keyImages: keyImageRows,
  };
}
export type CaseForExport = NonNullable<Awaited<ReturnType<typeof getCaseForExport>>>;
