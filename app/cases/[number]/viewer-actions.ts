"use server";

import { getDb } from "@/db/client";
import { getPublicCaseByNumber, listCaseSeries, listCoAuthorIds } from "@/db/queries/cases";
import { saveMeasurements, saveWindowPresets } from "@/db/queries/viewer-state";
import { getCurrentUser } from "@/lib/auth/session";
import { getCaseAccess } from "@/lib/cases/visibility";
import { measurementListSchema, windowPresetListSchema } from "@/lib/viewer/schemas";

export type SaveResult = { ok: true } | { ok: false; error: string };

/** Keeps a user's measurements on a case for their next visit. Only series of that case may be referenced. */
export async function saveMeasurementsAction(caseNumber: string, measurements: unknown): Promise<SaveResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: "Sign in again to keep your measurements." };
  const parsed = measurementListSchema.safeParse(measurements);
  if (!parsed.success) return { ok: false, error: "These measurements could not be read." };
  const db = await getDb();
  const c = await getPublicCaseByNumber(db, caseNumber);
  if (!c || getCaseAccess(c, user, new Date(), await listCoAuthorIds(db, c.id)).level === "none") return { ok: false, error: "No such case." };
  const seriesIds = new Set((await listCaseSeries(db, c.id)).map((s) => s.id));
  if (parsed.data.some((m) => !seriesIds.has(m.seriesId))) return { ok: false, error: "A measurement names a series of another case." };
  await saveMeasurements(db, user.id, c.id, parsed.data);
  return { ok: true };
}

/** Keeps a user's own window presets (they apply to every case). */
export async function saveWindowPresetsAction(presets: unknown): Promise<SaveResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: "Sign in again to keep your presets." };
  const parsed = windowPresetListSchema.safeParse(presets);
  if (!parsed.success) return { ok: false, error: "These presets could not be read." };
  await saveWindowPresets(await getDb(), user.id, parsed.data);
  return { ok: true };
}
