"use client";

/**
 * next-auth's client (about 12 KB gzipped with its runtime helpers) is loaded when the button is pressed, not
 * with every page: the header is on all of them, and the script would be parsed before each page's own work.
 */
export function SignOutButton() {
  return (
    <button
      type="button"
      className="btn-link"
      onClick={() => void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/signin" }))}
    >
      Sign out
    </button>
  );
}
