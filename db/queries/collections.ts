import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { cases, collectionCases, collections } from "../schema";
import { publicCaseColumns } from "./cases";

/** All collections in their display order, with how many cases each holds. */
export async function listCollections(db: Db) {
  return db
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      description: collections.description,
      caseCount: sql<number>`(select count(*)::int from ${collectionCases} where ${collectionCases.collectionId} = ${collections.id})`,
    })
    .from(collections)
    .orderBy(asc(collections.position), asc(collections.title));
}

export async function getCollection(db: Db, slug: string) {
  const rows = await db.select().from(collections).where(eq(collections.slug, slug)).limit(1);
  return rows[0];
}

/** A collection's cases in order: public columns only. */
export async function listCollectionCases(db: Db, collectionId: string) {
  return db
    .select({
      ...publicCaseColumns,
      position: collectionCases.position,
    })
    .from(collectionCases)
    .innerJoin(cases, eq(collectionCases.caseId, cases.id))
    .where(eq(collectionCases.collectionId, collectionId))
    .orderBy(asc(collectionCases.position));
}

/** The collections a case belongs to, each with the case's neighbours in order (for "next case" navigation). */
export async function listCollectionsOfCase(db: Db, caseId: string) {
  const memberships = await db
    .select({ id: collections.id, slug: collections.slug, title: collections.title })
    .from(collectionCases)
    .innerJoin(collections, eq(collectionCases.collectionId, collections.id))
    .where(eq(collectionCases.caseId, caseId))
    .orderBy(asc(collections.position));
  return Promise.all(memberships.map(async (m) => ({ ...m, cases: await listCollectionCases(db, m.id) })));
}
