import type { Metadata } from "next";
import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { requireAdmin } from "@/lib/auth/session";
import { LocalTime } from "@/app/_components/local-time";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireAdmin("/admin/audit");
  const db = await getDb();
  const rows = await db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, detail: auditLog.detail, actor: users.email })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorId, users.id))
    .orderBy(desc(auditLog.id))
    .limit(200);
  return (
    <main className="page">
      <h1>Audit log</h1>
      <p className="muted">The latest 200 changes: who did what, when.</p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <LocalTime iso={r.at.toISOString()} withRelative={false} />
              </td>
              <td>{r.actor ?? "system"}</td>
              <td>{r.action}</td>
              <td>
                {r.entity} <code className="muted">{r.entityId?.slice(0, 8)}</code>
              </td>
              <td>
                <code className="muted">{JSON.stringify(r.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
