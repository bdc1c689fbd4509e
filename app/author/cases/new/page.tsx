import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/session";
import { NewCaseForm } from "./_components/new-case-form";

export const metadata: Metadata = { title: "New case" };

export default async function NewCasePage() {
  await requireStaff("/author/cases/new");
  return (
    <main className="page narrow-form">
      <h1>New case</h1>
      <p className="muted">
        A draft gets the next case number. The title names the diagnosis and stays hidden until the reveal; the slug
        is for authors and bundles only, never shown to residents.
      </p>
      <NewCaseForm />
    </main>
  );
}
