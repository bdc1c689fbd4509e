"use server";

import { getDb } from "@/db/client";
import { signUpResident, type FieldErrors } from "@/lib/auth/sign-up";

export type SignUpState = { ok: boolean; fieldErrors: FieldErrors };

/** Creates a resident account; the client signs in with the same credentials on success. */
export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const result = await signUpResident(await getDb(), {
    name: form.get("name") ?? "",
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    pseudonym: form.get("pseudonym") ?? undefined,
    inviteCode: form.get("inviteCode") ?? undefined,
  });
  return result.ok ? { ok: true, fieldErrors: {} } : { ok: false, fieldErrors: result.fieldErrors };
}
