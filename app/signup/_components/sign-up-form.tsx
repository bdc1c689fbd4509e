"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signUpAction, type SignUpState } from "../actions";

const initial: SignUpState = { ok: false, fieldErrors: {} };

function Field(props: { name: string; label: string; type?: string; error?: string; hint?: string; autoComplete?: string; required?: boolean }) {
  const { name, label, type = "text", error, hint, autoComplete, required } = props;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type={type} autoComplete={autoComplete} required={required} aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined} />
      {hint && !error ? <span className="muted" style={{ fontSize: ".8rem" }}>{hint}</span> : null}
      {error ? (
        <span id={`${name}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function SignUpForm() {
  const [state, setState] = useState<SignUpState>(initial);
  const [pending, setPending] = useState(false);
  const router = useRouter();

  // A submit handler rather than a form action: React resets a form after an action, and we still need the
  // password to sign in once the account exists.
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const next = await signUpAction(initial, form).catch(() => ({ ok: false, fieldErrors: { form: "Could not reach the server. Try again." } }));
    setState(next);
    if (next.ok) {
      await signIn("credentials", { redirect: false, email: String(form.get("email")), password: String(form.get("password")) });
      router.replace("/cases");
      router.refresh();
      return;
    }
    setPending(false);
  }

  const e = state.fieldErrors;
  return (
    <form onSubmit={onSubmit} className="card" aria-label="Create account" noValidate>
      {e.form ? <p className="form-error" role="alert">{e.form}</p> : null}
      <Field name="name" label="Full name" autoComplete="name" error={e.name} required />
      <Field name="email" label="Email" type="email" autoComplete="email" error={e.email} required />
      <Field name="password" label="Password" type="password" autoComplete="new-password" error={e.password} hint="At least 10 characters" required />
      <Field name="pseudonym" label="Pseudonym (optional)" error={e.pseudonym} hint="Shown on leaderboards instead of your name" />
      <Field name="inviteCode" label="Group invite code (optional)" error={e.inviteCode} hint="From your residency program or team" />
      <button type="submit" className="btn btn-primary" disabled={pending || state.ok}>
        {state.ok ? "Signing in…" : pending ? "Creating…" : "Create account"}
      </button>
      <p className="muted" style={{ marginTop: "1rem" }}>
        Have an account? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
