import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { answerKeys, caseAuthors, caseContent, cases, collectionCases, collections, submissions, users, type CaseRow } from "../schema";

/**
 * Optimistic concurrency: a case's version is the exact epoch of its `updated_at`, as text. A JS Date keeps only
 * milliseconds while PostgreSQL keeps microseconds, so comparing Dates would make freshly imported cases look
 * changed; the numeric epoch survives the round trip unchanged on both engines.
 */
const versionExpr = sql<string>`extract(epoch from ${cases.updatedAt})::text`;

/** Everything an editor needs of one case: public row, hidden text, answer key, co-authors, collections. */
export async function getCaseForEditing(db: Db, caseId: string) {
  const [row] = await db.select({ c: cases, version: versionExpr }).from(cases).where(eq(cases.id, caseId)).limit(1);
  if (!row) return undefined;
  const [content] = await db.select().from(caseContent).where(eq(caseContent.caseId, caseId)).limit(1);
  const [key] = await db.select().from(answerKeys).where(eq(answerKeys.caseId, caseId)).limit(1);
  const coAuthors = await listCoAuthors(db, caseId);
  const memberships = await db.select({ collectionId: collectionCases.collectionId }).from(collectionCases).where(eq(collectionCases.caseId, caseId));
  return {
    case: row.c,
    version: row.version,
    content,
    answerKey: key,
    coAuthors,
    collectionIds: memberships.map((m) => m.collectionId),
  };
}
export type CaseForEditing = NonNullable<Awaited<ReturnType<typeof getCaseForEditing>>>;

/** A case id by its display number; undefined for junk or unknown numbers. */
export async function getCaseIdByNumber(db: Db, number: string): Promise<string | undefined> {
  if (!/^[1-9][0-9]{0,8}$/.test(number)) return undefined;
  const [row] = await db.select({ id: cases.id }).from(cases).where(eq(cases.number, Number(number))).limit(1);
  return row?.id;
}

/** The co-authors of a case with the names and emails the picker shows. */
export async function listCoAuthors(db: Db, caseId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(caseAuthors)
    .innerJoin(users, eq(caseAuthors.userId, users.id))
    .where(eq(caseAuthors.caseId, caseId))
    .orderBy(asc(users.name));
}

/**
 * Bumps a case's updated_at (the version) only if it is still `expectedVersion`; returns the new version, or
 * undefined when someone else changed the case first. Runs inside the caller's transaction, so the rest of the
 * save happens only when this check passed.
 */
export async function claimCaseVersion(db: Db, caseId: string, expectedVersion: string, patch: Partial<CaseRow> = {}): Promise<string | undefined> {
  const rows = await db
    .update(cases)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(cases.id, caseId), sql`extract(epoch from ${cases.updatedAt}) = ${expectedVersion}::numeric`))
    .returning({ version: versionExpr });
  return rows[0]?.version;
}

/** The current version of a case and who last touched it, for a conflict message. */
export async function getCaseVersion(db: Db, caseId: string): Promise<{ version: string; updatedAt: Date } | undefined> {
  const [row] = await db.select({ version: versionExpr, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, caseId)).limit(1);
  return row;
}

export type HiddenText = Omit<typeof caseContent.$inferInsert, "caseId" | "updatedAt">;
export type AnswerKeyText = Omit<typeof answerKeys.$inferInsert, "caseId" | "updatedAt">;

/** Writes the hidden teaching text of a case (insert or replace). */
export async function upsertCaseContent(db: Db, caseId: string, content: HiddenText): Promise<void> {
  await db
    .insert(caseContent)
    .values({ caseId, ...content })
    .onConflictDoUpdate({ target: caseContent.caseId, set: { ...content, updatedAt: sql`now()` } });
}

/** Writes the answer key of a case (insert or replace). */
export async function upsertAnswerKey(db: Db, caseId: string, key: AnswerKeyText): Promise<void> {
  await db
    .insert(answerKeys)
    .values({ caseId, ...key })
    .onConflictDoUpdate({ target: answerKeys.caseId, set: { ...key, updatedAt: sql`now()` } });
}

/** Makes the case a member of exactly these collections, appending it at the end of new ones. */
export async function setCaseCollections(db: Db, caseId: string, collectionIds: readonly string[]): Promise<void> {
  const current = await db.select({ collectionId: collectionCases.collectionId }).from(collectionCases).where(eq(collectionCases.caseId, caseId));
  const have = new Set(current.map((c) => c.collectionId));
  const want = new Set(collectionIds);
  const removed = [...have].filter((id) => !want.has(id));
  if (removed.length) await db.delete(collectionCases).where(and(eq(collectionCases.caseId, caseId), inArray(collectionCases.collectionId, removed)));
  for (const id of want) {
    if (have.has(id)) continue;
    const [{ next } = { next: 0 }] = await db
      .select({ next: sql<number>`coalesce(max(${collectionCases.position}), -1) + 1` })
      .from(collectionCases)
      .where(eq(collectionCases.collectionId, id));
    await db.insert(collectionCases).values({ collectionId: id, caseId, position: Number(next) });
  }
}

/** Which of these collection ids exist. */
export async function listExistingCollectionIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: collections.id }).from(collections).where(inArray(collections.id, [...ids]));
  return rows.map((r) => r.id);
}

/** Every collection, for the membership checkboxes. */
export async function listCollectionChoices(db: Db) {
  return db.select({ id: collections.id, title: collections.title }).from(collections).orderBy(asc(collections.position), asc(collections.title));
}

/** Is this slug used by a case other than `exceptCaseId`? */
export async function isSlugTaken(db: Db, slug: string, exceptCaseId?: string): Promise<boolean> {
  const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.slug, slug)).limit(1);
  return rows.length > 0 && rows[0]!.id !== exceptCaseId;
}

/**
 * Inserts a draft with the next case number, its hidden text and an answer key naming the title. The number is
 * taken under a transaction-scoped advisory lock, so two educators creating cases at once get distinct numbers.
 */
export async function insertDraftCase(db: Db, draft: { slug: string; title: string; authorId: string }) {
  await db.execute(sql`select pg_advisory_xact_lock(726355)`);
  const [{ next } = { next: 1 }] = await db.select({ next: sql<number>`coalesce(max(${cases.number}), 0) + 1` }).from(cases);
  const [row] = await db
    .insert(cases)
    .values({ slug: draft.slug, number: Number(next), status: "draft", authorId: draft.authorId })
    .returning({ id: cases.id, number: cases.number });
  await db.insert(caseContent).values({ caseId: row!.id, title: draft.title });
  await db.insert(answerKeys).values({ caseId: row!.id, diagnosis: draft.title });
  return row!;
}

export async function addCaseAuthor(db: Db, caseId: string, userId: string): Promise<boolean> {
  const rows = await db.insert(caseAuthors).values({ caseId, userId }).onConflictDoNothing().returning({ userId: caseAuthors.userId });
  return rows.length > 0;
}

export async function removeCaseAuthor(db: Db, caseId: string, userId: string): Promise<boolean> {
  const rows = await db.delete(caseAuthors).where(and(eq(caseAuthors.caseId, caseId), eq(caseAuthors.userId, userId))).returning({ userId: caseAuthors.userId });
  return rows.length > 0;
}

export async function countCaseSubmissions(db: Db, caseId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(submissions).where(eq(submissions.caseId, caseId));
  return Number(row?.n ?? 0);
}

export async function deleteCase(db: Db, caseId: string): Promise<void> {
  await db.delete(cases).where(eq(cases.id, caseId));
}

/**
 * The authoring dashboard: every case with its title, author and co-author ids (staff see hidden titles), the
 * newest first. Who may edit which row is decided by lib/cases/visibility, not here.
 */
export async function listCasesForDashboard(db: Db) {
  return db
    .select({
      id: cases.id,
      number: cases.number,
      slug: cases.slug,
      status: cases.status,
      opensAt: cases.opensAt,
      closesAt: cases.closesAt,
      revealsAt: cases.revealsAt,
      closedAt: cases.closedAt,
      revealedAt: cases.revealedAt,
      authorId: cases.authorId,
      updatedAt: cases.updatedAt,
      title: caseContent.title,
      authorName: users.name,
      coAuthorIds: sql<string[]>`coalesce((select array_agg(${caseAuthors.userId}::text) from ${caseAuthors} where ${caseAuthors.caseId} = ${cases.id}), '{}'::text[])`,
    })
    .from(cases)
    .leftJoin(caseContent, eq(caseContent.caseId, cases.id))
    .leftJoin(users, eq(users.id, cases.authorId))
    .orderBy(sql`${cases.number} desc`);
}
