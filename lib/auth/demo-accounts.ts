import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { addGroupMember, getUserByEmail, insertUser } from "@/db/queries/users";
import { residentGroups, type Role } from "@/db/schema";
import { hashPassword } from "./password";

export type DemoAccount = { role: Role; email: string; name: string; password: string };

const demoPeople: Omit<DemoAccount, "password">[] = [
  { role: "resident", email: "resident@casebook.local", name: "Rhea Resident" },
  { role: "educator", email: "educator@casebook.local", name: "Eli Educator" },
  { role: "admin", email: "admin@casebook.local", name: "Ada Admin" },
];

export const demoGroup = { slug: "demo-program", name: "Demo Residency Program", inviteCode: "DEMO-PROGRAM" } as const;

/**
 * Demo mode only: one resident, one educator and one admin. Passwords are random per installation, kept in the
 * data folder (mode 0600) so they stay the same across restarts and are printed at each start.
 */
export async function ensureDemoAccounts(db: Db, dataDir: string): Promise<DemoAccount[]> {
  const file = path.join(dataDir, "demo-accounts.json");
  let accounts: DemoAccount[];
  try {
    accounts = JSON.parse(await fs.readFile(file, "utf8")) as DemoAccount[];
  } catch {
    accounts = demoPeople.map((p) => ({ ...p, password: randomBytes(9).toString("base64url") }));
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
  }
  await db.insert(residentGroups).values(demoGroup).onConflictDoNothing();
  const [group] = await db.select().from(residentGroups).where(eq(residentGroups.slug, demoGroup.slug));
  for (const account of accounts) {
    if (await getUserByEmail(db, account.email)) continue;
    const user = await insertUser(db, { email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) });
    if (!user) continue;
    if (account.role === "resident" && group) await addGroupMember(db, group.id, user.id);
    await recordAudit(db, { actorId: null, action: "user.demo-create", entity: "user", entityId: user.id, detail: { role: account.role } });
  }
  return accounts;
}
