import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Casebook", template: "%s · Casebook" },
  description: "Radiology teaching cases in the Diagnosis Please format",
};

export const viewport: Viewport = { themeColor: "#0b0d10", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser().catch(() => undefined);
  return (
    <html lang="en">
      <body>
        <SiteHeader user={user ? { name: user.pseudonym ?? user.name, role: user.role } : undefined} />
        {children}
      </body>
    </html>
  );
}
