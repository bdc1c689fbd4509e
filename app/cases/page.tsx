import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { listCoverInstanceIds, listLibraryCases, listLibraryFacets } from "@/db/queries/cases";
import { isStaff, requireUser } from "@/lib/auth/session";
import { phases } from "@/lib/cases/lifecycle";
import { getCaseAccess } from "@/lib/cases/visibility";
import { CaseCard } from "./_components/case-card";
import { LibraryFilters } from "./_components/library-filters";

export const metadata: Metadata = { title: "Case library" };

const optional = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

const filtersSchema = z.object({
  q: optional,
  modality: optional,
  region: optional,
  tag: optional,
  status: z.enum(phases).optional().catch(undefined),
  solved: z.enum(["solved", "unsolved"]).optional().catch(undefined),
});

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LibraryPage({ searchParams }: Props) {
  const user = await requireUser("/cases");
  const raw = await searchParams;
  const filters = filtersSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const db = await getDb();
  const now = new Date();
  const [rows, facets] = await Promise.all([
    listLibraryCases(db, {
      ...filters,
      includeUnopened: isStaff(user.role),
      now,
      solvedBy: filters.solved ? { userId: user.id, solved: filters.solved === "solved" } : undefined,
    }),
    listLibraryFacets(db),
  ]);
  const visible = rows
    .map((c) => ({ c, access: getCaseAccess(c, user, now) }))
    .filter(({ access }) => access.level !== "none" && (!filters.status || access.phase === filters.status));
  const covers = await listCoverInstanceIds(db, visible.map(({ c }) => c.id));

  return (
    <main className="page">
      <div className="library">
        <LibraryFilters facets={facets} values={filters} />
        <section aria-labelledby="library-heading">
          <h1 id="library-heading">
            Case library <span className="muted" style={{ fontWeight: 400, fontSize: ".9rem" }}>{visible.length} cases</span>
          </h1>
          {visible.length === 0 ? (
            <p className="notice">
              No case matches these filters. <Link href="/cases">Clear all filters</Link>
            </p>
          ) : (
            <div className="case-grid" data-testid="case-grid">
              {visible.map(({ c, access }) => (
                <CaseCard key={c.id} c={c} phase={access.phase} coverInstanceId={covers.get(c.id)} />
              ))}
            </div>
          )}
        </section>
      </div>
    </main>
  );
}
