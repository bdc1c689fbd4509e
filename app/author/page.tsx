import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listLibraryCases } from "@/db/queries/cases";
import { requireStaff } from "@/lib/auth/session";
import { phaseLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";

export const metadata: Metadata = { title: "Authoring" };

export default async function AuthorPage() {
  const user = await requireStaff("/author");
  const now = new Date();
  const rows = await listLibraryCases(await getDb(), { includeUnopened: true, now });
  return (
    <main className="page">
      <h1>Authoring</h1>
      <p className="notice" data-testid="authoring-coming-soon">
        The case editor, DICOM upload with de-identification, key-image annotation and scheduling arrive with the
        authoring release. Until then, cases come in as bundles: <code>npm run cases:import -- &lt;folder|zip&gt;</code>{" "}
        (see cases/README.md).
      </p>
      <table className="data" style={{ marginTop: "1rem" }}>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Slug</th>
            <th scope="col">Status</th>
            <th scope="col">Opens</th>
            <th scope="col">Closes</th>
            <th scope="col">Reveals</th>
            <th scope="col">You may edit</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const access = getCaseAccess(c, user, now);
            return (
              <tr key={c.id}>
                <td>
                  <Link href={`/cases/${c.number}`}>Case {c.number}</Link>
                </td>
                <td>
                  <code>{c.slug}</code>
                </td>
                <td className={`status status-${access.phase}`}>{phaseLabels[access.phase]}</td>
                <td>{c.opensAt ? <LocalTime iso={c.opensAt.toISOString()} withRelative={false} /> : "—"}</td>
                <td>{c.closesAt ? <LocalTime iso={c.closesAt.toISOString()} withRelative={false} /> : "—"}</td>
                <td>{c.revealsAt ? <LocalTime iso={c.revealsAt.toISOString()} withRelative={false} /> : "—"}</td>
                <td>{access.canEdit ? "Yes" : "No"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </main>
  );
}
