"use client";

import { usePathname } from "next/navigation";
import { IntentLink } from "./intent-link";

/** Section links with the current one marked for assistive technology and styling. */
export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="site-nav" aria-label="Sections">
      {links.map((l) => (
        <IntentLink key={l.href} href={l.href} aria-current={pathname.startsWith(l.href) ? "page" : undefined}>
          {l.label}
        </IntentLink>
      ))}
    </nav>
  );
}
