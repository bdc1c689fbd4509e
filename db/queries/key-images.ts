import { and, asc, eq, max } from "drizzle-orm";
import type { Db } from "../client";
import { instances, keyImages, series, type AnnotationShape } from "../schema";

/** The case of an instance and its burned-in hold reason (null when not held), or undefined. */
export async function getInstanceCaseAndHold(db: Db, instanceId: string): Promise<{ caseId: string; burnedInHold: string | null } | undefined> {
  const rows = await db
    .select({ caseId: series.caseId, burnedInHold: instances.burnedInHold })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(eq(instances.id, instanceId))
    .limit(1);
  return rows[0];
}

/** The key image a case has on an instance, or undefined. Callers must have asked lib/cases/visibility first. */
export async function getKeyImageOnInstance(db: Db, caseId: string, instanceId: string) {
  const rows = await db
    .select()
    .from(keyImages)
    .where(and(eq(keyImages.caseId, caseId), eq(keyImages.instanceId, instanceId)))
    .orderBy(asc(keyImages.position))
    .limit(1);
  return rows[0];
}

/** Marks an instance as a key image of the case (last in order) or replaces its caption and annotations. */
export async function upsertKeyImage(db: Db, caseId: string, instanceId: string, value: { caption: string; annotations: AnnotationShape[] }) {
  const existing = await getKeyImageOnInstance(db, caseId, instanceId);
  if (existing) {
    const [row] = await db.update(keyImages).set(value).where(eq(keyImages.id, existing.id)).returning();
    return { row: row!, created: false };
  }
  const [last] = await db.select({ position: max(keyImages.position) }).from(keyImages).where(eq(keyImages.caseId, caseId));
  const position = last?.position === null || last?.position === undefined ? 0 : last.position + 1;
  const [row] = await db.insert(keyImages).values({ caseId, instanceId, position, ...value }).returning();
  return { row: row!, created: true };
}

/** Unmarks a key image (with its annotations); true if there was one. */
export async function deleteKeyImageOnInstance(db: Db, caseId: string, instanceId: string): Promise<boolean> {
  const rows = await db
    .delete(keyImages)
    .where(and(eq(keyImages.caseId, caseId), eq(keyImages.instanceId, instanceId)))
    .returning({ id: keyImages.id });
  return rows.length > 0;
}

/** The instances of a case's key images, in their order. Callers must have asked lib/cases/visibility first. */
export async function listKeyImageOrder(db: Db, caseId: string): Promise<string[]> {
  const rows = await db.select({ instanceId: keyImages.instanceId }).from(keyImages).where(eq(keyImages.caseId, caseId)).orderBy(asc(keyImages.position), asc(keyImages.id));
  return rows.map((r) => r.instanceId);
}

/** Puts a case's key images in the order of `instanceIds` (which must name each of them once). */
export async function setKeyImageOrder(db: Db, caseId: string, instanceIds: readonly string[]): Promise<void> {
  for (const [position, instanceId] of instanceIds.entries()) {
    await db.update(keyImages).set({ position }).where(and(eq(keyImages.caseId, caseId), eq(keyImages.instanceId, instanceId)));
  }
}
