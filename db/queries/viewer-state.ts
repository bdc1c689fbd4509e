import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { userPreferences, viewerStates } from "../schema";
import type { Measurement, WindowPreset } from "@/lib/viewer/types";

/** A resident's measurements on one case, as last saved (empty when none). */
export async function getMeasurements(db: Db, userId: string, caseId: string): Promise<Measurement[]> {
  const rows = await db
    .select({ measurements: viewerStates.measurements })
    .from(viewerStates)
    .where(and(eq(viewerStates.userId, userId), eq(viewerStates.caseId, caseId)))
    .limit(1);
  return rows[0]?.measurements ?? [];
}

/** Replaces a user's measurements on a case (the viewer always sends the whole set). */
export async function saveMeasurements(db: Db, userId: string, caseId: string, measurements: Measurement[]): Promise<void> {
  await db
    .insert(viewerStates)
    .values({ userId, caseId, measurements })
    .onConflictDoUpdate({ target: [viewerStates.userId, viewerStates.caseId], set: { measurements, updatedAt: new Date() } });
}

export async function getWindowPresets(db: Db, userId: string): Promise<WindowPreset[]> {
  const rows = await db.select({ windowPresets: userPreferences.windowPresets }).from(userPreferences).where(eq(userPreferences.userId, userId)).limit(1);
  return rows[0]?.windowPresets ?? [];
}

export async function saveWindowPresets(db: Db, userId: string, windowPresets: WindowPreset[]): Promise<void> {
  await db
    .insert(userPreferences)
    .values({ userId, windowPresets })
    .onConflictDoUpdate({ target: userPreferences.userId, set: { windowPresets, updatedAt: new Date() } });
}
