import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import type { Role, User } from "@/db/schema";
import { getAuthOptions } from "./options";

export type CurrentUser = Pick<User, "id" | "email" | "name" | "pseudonym" | "role">;

/**
 * The signed-in user, re-read from the database so a deleted account or a changed role takes effect at once.
 * A tampered or expired session cookie yields undefined. Read once per server render: the root layout and the
 * page both ask, and each ask costs a session decryption and a query (route handlers get no memo, by React).
 */
export const getCurrentUser = cache(readCurrentUser);

async function readCurrentUser(): Promise<CurrentUser | undefined> {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return undefined;
  const user = await getUserById(await getDb(), id);
  if (!user) return undefined;
  return { id: user.id, email: user.email, name: user.name, pseudonym: user.pseudonym, role: user.role };
}

/** For pages: the user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export function isStaff(role: Role): boolean {
  return role === "educator" || role === "admin";
}

/** For educator pages: residents get app/forbidden.tsx with status 403. */
export async function requireStaff(returnTo: string): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (!isStaff(user.role)) forbidden();
  return user;
}

/** For admin pages. */
export async function requireAdmin(returnTo: string): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (user.role !== "admin") forbidden();
  return user;
}
