import Link from "next/link";

type Neighbour = { number: number };
export type CollectionPosition = { slug: string; title: string; index: number; total: number; previous?: Neighbour; next?: Neighbour };

/** "Paraspinal masses in thalassemia · 2 of 4 · Previous · Next": work through a collection in order. */
export function CollectionNav({ positions }: { positions: CollectionPosition[] }) {
  if (positions.length === 0) return null;
  return (
    <nav aria-label="Collections" className="collection-nav" data-testid="collection-nav">
      {positions.map((p) => (
        <span key={p.slug}>
          <Link href={`/collections/${p.slug}`}>{p.title}</Link>
          <span className="muted">
            {" "}
            · {p.index + 1} of {p.total}
          </span>
          {p.previous ? (
            <Link href={`/cases/${p.previous.number}`} className="btn-link" aria-label={`Previous case in ${p.title}`}>
              {" "}
              ← Previous
            </Link>
          ) : null}
          {p.next ? (
            <Link href={`/cases/${p.next.number}`} aria-label={`Next case in ${p.title}`}>
              {" "}
              Next →
            </Link>
          ) : null}
        </span>
      ))}
    </nav>
  );
}
