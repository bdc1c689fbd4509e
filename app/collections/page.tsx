import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCollections } from "@/db/queries/collections";
import { requireUser } from "@/lib/auth/session";
import { Markdown } from "@/app/_components/markdown";

export const metadata: Metadata = { title: "Collections" };

export default async function CollectionsPage() {
  await requireUser("/collections");
  const rows = await listCollections(await getDb());
  return (
    <main className="page">
      <h1>Collections</h1>
      <p className="muted">Ordered sets of cases to work through, like a playlist.</p>
      {rows.length === 0 ? <p className="notice">No collections yet.</p> : null}
      <div className="case-grid">
        {rows.map((c) => (
          <Link key={c.id} href={`/collections/${c.slug}`} className="case-card" data-testid="collection-card">
            <div className="body">
              <span className="title">{c.title}</span>
              <span className="muted">{c.caseCount} cases</span>
              <Markdown source={c.description.split("\n\n")[0] ?? ""} />
            </div>
          </Link>
        ))}
      </div>
    </main>
  );
}
