import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { groupMemberships, residentGroups, users, type Role, type User } from "../schema";

/** One user by email (case-insensitive), or undefined. */
export async function getUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const rows = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
  return rows[0];
}

export async function getUserById(db: Db, id: string): Promise<User | undefined> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}

export type NewUser = { email: string; name: string; role: Role; passwordHash: string | null; pseudonym?: string | null };

/** Inserts a user; returns undefined when the email is taken (unique index on lower(email)). */
export async function insertUser(db: Db, user: NewUser): Promise<User | undefined> {
  const rows = await db
    .insert(users)
    .values({ ...user, email: user.email.trim() })
    .onConflictDoNothing()
    .returning();
  return rows[0];
}

export async function getGroupByInviteCode(db: Db, code: string) {
  const rows = await db.select().from(residentGroups).where(eq(residentGroups.inviteCode, code.trim())).limit(1);
  return rows[0];
}

export async function addGroupMember(db: Db, groupId: string, userId: string): Promise<void> {
  await db.insert(groupMemberships).values({ groupId, userId }).onConflictDoNothing();
}

/** The groups a user belongs to, by name. */
export async function listUserGroups(db: Db, userId: string) {
  return db
    .select({ id: residentGroups.id, name: residentGroups.name, slug: residentGroups.slug, kind: residentGroups.kind })
    .from(groupMemberships)
    .innerJoin(residentGroups, eq(groupMemberships.groupId, residentGroups.id))
    .where(and(eq(groupMemberships.userId, userId)))
    .orderBy(residentGroups.name);
}
