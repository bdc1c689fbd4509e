import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { auditLog, groupMemberships, residentGroups, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { signUpResident } from "@/lib/auth/sign-up";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await handle.db.insert(residentGroups).values({ slug: "north", name: "North Residency", inviteCode: "NORTH-2026" });
});
afterAll(async () => handle?.close());

const userCount = async () => (await handle.db.select({ n: count() }).from(users))[0]!.n;

describe(`sign-up on ${testEngine}`, () => {
  it("creates a resident with an argon2id hash and joins the group of the invite code", async () => {
    const result = await signUpResident(handle.db, { name: "Ada Resident", email: "Ada@Example.org", password: "correct horse battery", inviteCode: "NORTH-2026" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.role).toBe("resident");
    expect(result.user.email).toBe("ada@example.org");
    expect(result.user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(result.user.passwordHash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(result.user.passwordHash, "wrong horse battery")).toBe(false);
    const memberships = await handle.db.select().from(groupMemberships).where(eq(groupMemberships.userId, result.user.id));
    expect(memberships).toHaveLength(1);
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, result.user.id));
    expect(audit.map((a) => a.action)).toEqual(["user.sign-up"]);
  });

  it("refuses a duplicate email whatever its case, writing nothing", async () => {
    const before = await userCount();
    const result = await signUpResident(handle.db, { name: "Ada Again", email: "ADA@example.ORG", password: "another long password" });
    expect(result).toEqual({ ok: false, fieldErrors: { email: expect.stringContaining("already exists") } });
    expect(await userCount()).toBe(before);
  });

  it("refuses invalid input field by field, writing nothing", async () => {
    const before = await userCount();
    const result = await signUpResident(handle.db, { name: "", email: "not-an-email", password: "short" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["email", "name", "password"]);
    expect(await userCount()).toBe(before);
  });

  it("refuses an unknown invite code, writing nothing", async () => {
    const before = await userCount();
    const result = await signUpResident(handle.db, { name: "Bo", email: "bo@example.org", password: "long enough password", inviteCode: "NOPE" });
    expect(result).toEqual({ ok: false, fieldErrors: { inviteCode: "No resident group has this invite code" } });
    expect(await userCount()).toBe(before);
  });
});
