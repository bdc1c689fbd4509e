import Link from "next/link";
import type { Role } from "@/db/schema";
import { IntentLink } from "./intent-link";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

type Props = { user: { name: string; role: Role } | undefined };

/** The header on every page: brand, sections for this role, and who is signed in. */
export function SiteHeader({ user }: Props) {
  const links = [
    { href: "/cases", label: "Library" },
    { href: "/collections", label: "Collections" },
    { href: "/leaderboards", label: "Leaderboards" },
  ];
  if (user && user.role !== "resident") links.push({ href: "/author", label: "Authoring" });
  if (user?.role === "admin") links.push({ href: "/admin/audit", label: "Audit log" });
  return (
    <header className="site-header">
      <IntentLink href="/cases" className="brand">
        Case<span>book</span>
      </IntentLink>
      {user ? <NavLinks links={links} /> : null}
      <div className="user-box">
        {user ? (
          <>
            <span data-testid="current-user">{user.name}</span>
            <span className={`role-badge role-${user.role}`} data-testid="current-role">
              {user.role}
            </span>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/signin">Sign in</Link>
            <Link href="/signup" className="btn btn-primary">
              Create account
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
