import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { addGroupMember, getGroupByInviteCode, getUserByEmail, insertUser } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { hashPassword } from "./password";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Name is too long"),
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  password: z.string().min(10, "Use at least 10 characters").max(200, "Password is too long"),
  pseudonym: optionalText(40),
  inviteCode: optionalText(64),
});

export type SignUpInput = z.input<typeof signUpSchema>;
export type FieldErrors = Partial<Record<keyof SignUpInput | "form", string>>;
export type SignUpResult = { ok: true; user: User } | { ok: false; fieldErrors: FieldErrors };

/** Creates a resident account (optionally joining a group by invite code). Writes nothing on any error. */
export async function signUpResident(db: Db, input: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = (issue.path[0] as keyof SignUpInput | undefined) ?? "form";
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const data = parsed.data;
  const group = data.inviteCode ? await getGroupByInviteCode(db, data.inviteCode) : undefined;
  if (data.inviteCode && !group) return { ok: false, fieldErrors: { inviteCode: "No resident group has this invite code" } };
  if (await getUserByEmail(db, data.email)) {
    return { ok: false, fieldErrors: { email: "An account with this email already exists. Sign in instead." } };
  }
  const passwordHash = await hashPassword(data.password);
  const user = await db.transaction(async (tx) => {
    const created = await insertUser(tx, {
      email: data.email,
      name: data.name,
      pseudonym: data.pseudonym ?? null,
      role: "resident",
      passwordHash,
    });
    if (!created) return undefined; // lost a race with an identical sign-up
    if (group) await addGroupMember(tx, group.id, created.id);
    await recordAudit(tx, { actorId: created.id, action: "user.sign-up", entity: "user", entityId: created.id, detail: { group: group?.slug ?? null } });
    return created;
  });
  if (!user) return { ok: false, fieldErrors: { email: "An account with this email already exists. Sign in instead." } };
  return { ok: true, user };
}
