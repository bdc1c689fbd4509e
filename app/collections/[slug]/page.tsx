import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCollection, listCollectionCases } from "@/db/queries/collections";
import { requireUser } from "@/lib/auth/session";
import { patientLine, phaseLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { Markdown } from "@/app/_components/markdown";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const c = await getCollection(await getDb(), (await params).slug);
  return { title: c?.title ?? "Collection" };
}

export default async function CollectionPage({ params }: Props) {
  const { slug } = await params;
  const user = await requireUser(`/collections/${encodeURIComponent(slug)}`);
  const db = await getDb();
  const collection = await getCollection(db, slug);
  if (!collection) notFound();
  const now = new Date();
  const items = (await listCollectionCases(db, collection.id))
    .map((c) => ({ c, access: getCaseAccess(c, user, now) }))
    .filter(({ access }) => access.level !== "none");
  return (
    <main className="page" style={{ maxWidth: 900 }}>
      <p className="muted">
        <Link href="/collections">Collections</Link> /
      </p>
      <h1>{collection.title}</h1>
      <Markdown source={collection.description} />
      <ol className="card" style={{ listStyle: "none", padding: 0 }} data-testid="collection-cases">
        {items.map(({ c, access }, index) => (
          <li key={c.id} style={{ display: "flex", gap: "1rem", alignItems: "baseline", padding: ".6rem 1rem", borderBottom: "1px solid var(--border)" }}>
            <span className="muted" style={{ width: "1.5rem" }}>{index + 1}.</span>
            <Link href={`/cases/${c.number}`} style={{ fontWeight: 600 }}>
              Case {c.number}
            </Link>
            <span style={{ flex: 1 }}>{c.summary}</span>
            <span className="muted">{patientLine(c.ageBucket, c.sex)}</span>
            <span className={`status status-${access.phase}`}>{phaseLabels[access.phase]}</span>
          </li>
        ))}
      </ol>
      {items[0] ? (
        <p style={{ marginTop: "1rem" }}>
          <Link className="btn btn-primary" href={`/cases/${items[0].c.number}`}>
            Start with case 1 of {items.length}
          </Link>
        </p>
      ) : null}
    </main>
  );
}
