import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { settings } from "../schema";

/**
 * A setting that is created once with a random value and then shared by every instance (the first writer
 * wins a race, the others read its value).
 */
export async function getOrCreateSecretSetting(db: Db, key: string): Promise<string> {
  await db.insert(settings).values({ key, value: randomBytes(32).toString("hex") }).onConflictDoNothing();
  const rows = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  return rows[0]!.value;
}

/** The installation's de-identification salt: keys every UID Casebook remaps or derives. */
export function getDeidSalt(db: Db): Promise<string> {
  return getOrCreateSecretSetting(db, "deid.uid-salt");
}
