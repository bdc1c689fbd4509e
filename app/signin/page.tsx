import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { oidcEnabled } from "@/lib/auth/options";
import { getCurrentUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

/** Only same-site paths may be a destination after sign-in. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/cases";
}

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, error } = await searchParams;
  const destination = safeCallback(callbackUrl);
  if (await getCurrentUser()) redirect(destination);
  return (
    <main className="page narrow">
      <h1>Sign in to Casebook</h1>
      <p className="muted">Solve unknown cases, then see the answer when it is revealed.</p>
      {getEnv().CASEBOOK_MODE === "demo" ? (
        <p className="notice">Demo mode: the start command printed the demo accounts and their passwords.</p>
      ) : null}
      <SignInForm callbackUrl={destination} oidc={oidcEnabled() ? getEnv().OIDC_NAME : undefined} initialError={error ? "Sign-in failed. Try again." : undefined} />
    </main>
  );
}
