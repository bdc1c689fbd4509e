import { and, asc, count, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../client";
import { instances, series } from "../schema";

/** The images of a case held for review (possible burned-in text), in display order. */
export async function listHeldImages(db: Db, caseId: string) {
  return db
    .select({
      id: instances.id,
      sopInstanceUid: instances.sopInstanceUid,
      reason: instances.burnedInHold,
      rows: instances.rows,
      columns: instances.columns,
      frames: instances.frames,
      instanceNumber: instances.instanceNumber,
      seriesId: series.id,
      seriesNumber: series.seriesNumber,
      seriesDescription: series.description,
      modality: series.modality,
    })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(and(eq(series.caseId, caseId), isNotNull(instances.burnedInHold)))
    .orderBy(asc(series.position), asc(instances.sortIndex));
}
export type HeldImage = Awaited<ReturnType<typeof listHeldImages>>[number];

/** How many images of a case are held for review: a case with any cannot be published. */
export async function countHeldImages(db: Db, caseId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(and(eq(series.caseId, caseId), isNotNull(instances.burnedInHold)));
  return Number(row?.n ?? 0);
}

/** One image of a case with what blanking and removal need; undefined when it is not in that case. */
export async function getCaseImage(db: Db, caseId: string, instanceId: string) {
  const [row] = await db
    .select({
      id: instances.id,
      seriesId: instances.seriesId,
      sopInstanceUid: instances.sopInstanceUid,
      sourceSopInstanceUid: instances.sourceSopInstanceUid,
      storageKey: instances.storageKey,
      sha256: instances.sha256,
      rows: instances.rows,
      columns: instances.columns,
      frames: instances.frames,
      burnedInHold: instances.burnedInHold,
    })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(and(eq(series.caseId, caseId), eq(instances.id, instanceId)))
    .limit(1);
  return row;
}

/** Marks the given images of a case as held, with the reason per SOP instance UID. */
export async function holdCaseImages(db: Db, caseId: string, reasons: ReadonlyMap<string, string>): Promise<void> {
  const caseSeries = db.select({ id: series.id }).from(series).where(eq(series.caseId, caseId));
  // Few distinct reasons per upload (one per modality or flag), so one update per reason.
  const byReason = new Map<string, string[]>();
  for (const [uid, reason] of reasons) byReason.set(reason, [...(byReason.get(reason) ?? []), uid]);
  for (const [reason, uids] of byReason) {
    await db
      .update(instances)
      .set({ burnedInHold: reason })
      .where(and(inArray(instances.seriesId, caseSeries), inArray(instances.sopInstanceUid, uids)));
  }
}
