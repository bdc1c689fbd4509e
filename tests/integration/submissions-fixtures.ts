import type { Db } from "@/db/client";
import { answerKeys, cases, groupMemberships, residentGroups, users, type Role } from "@/db/schema";

/** Fixture builders for the submission and leaderboard tests: direct inserts, no import pipeline. */

export const emhKey = {
  diagnosis: "extramedullary hematopoiesis",
  synonyms: ["EMH"],
  partial: ["fatty extramedullary hematopoiesis"],
  reject: ["extramedullary plasmacytoma"],
};

const hour = 3_600_000;
export const at = (base: Date, hours: number) => new Date(base.getTime() + hours * hour);

let counter = 0;

/** A published case open from base-24h, closing at base+24h, revealed at base+48h (unless overridden). */
export async function insertCase(
  db: Db,
  base: Date,
  overrides: Partial<typeof cases.$inferInsert> = {},
  key: typeof emhKey | null = emhKey,
) {
  counter += 1;
  const number = overrides.number ?? 1000 + counter + Math.floor(Math.random() * 1_000_000);
  const [row] = await db
    .insert(cases)
    .values({
      slug: `case-${number}`,
      number,
      status: "published",
      opensAt: at(base, -24),
      closesAt: at(base, 24),
      revealsAt: at(base, 48),
      ...overrides,
    })
    .returning();
  if (key) await db.insert(answerKeys).values({ caseId: row!.id, ...key });
  return row!;
}

export async function insertUser(db: Db, name: string, options: { role?: Role; pseudonym?: string | null } = {}) {
  counter += 1;
  const [row] = await db
    .insert(users)
    .values({ email: `${name.toLowerCase().replace(/\W+/g, ".")}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.org`, name, role: options.role ?? "resident", pseudonym: options.pseudonym ?? null })
    .returning();
  return row!;
}

export async function insertGroup(db: Db, name: string, memberIds: string[]) {
  counter += 1;
  const slug = `${name.toLowerCase().replace(/\W+/g, "-")}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const [row] = await db.insert(residentGroups).values({ slug, name, inviteCode: slug.toUpperCase() }).returning();
  for (const userId of memberIds) await db.insert(groupMemberships).values({ groupId: row!.id, userId });
  return row!;
}
