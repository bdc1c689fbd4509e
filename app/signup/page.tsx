import type { Metadata } from "next";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create account" };

export default function SignUpPage() {
  return (
    <main className="page narrow">
      <h1>Create a resident account</h1>
      <p className="muted">Educator accounts are created by an administrator.</p>
      <SignUpForm />
    </main>
  );
}
