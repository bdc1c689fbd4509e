import { createHash } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { bumpLeaderboardVersion } from "@/db/queries/leaderboard";
import { addGroupMember, getUserByEmail, insertUser } from "@/db/queries/users";
import { answerKeys, cases, residentGroups, submissionRevisions, submissions } from "@/db/schema";
import { getPhase } from "@/lib/cases/lifecycle";
import { gradeSubmission } from "@/lib/grading";
import { storedScore } from "@/lib/submissions/rules";

/**
 * Demo mode only: made-up residents and resident groups with past entries on the revealed cases, so the
 * leaderboards and the "who was right" lists have something to show. The accounts have no password: nobody
 * signs in as them.
 */
const demoResidents = [
  { key: "priya", name: "Priya Natarajan", pseudonym: "Hounsfield Hero" },
  { key: "tomas", name: "Tomás Okafor", pseudonym: null },
  { key: "mei", name: "Mei Lindqvist", pseudonym: "T2 Bright" },
  { key: "jonah", name: "Jonah Albers", pseudonym: null },
  { key: "sara", name: "Sara Demir", pseudonym: "Window Level" },
  { key: "luis", name: "Luis Ferreira", pseudonym: null },
  { key: "ines", name: "Inès Moreau", pseudonym: null },
] as const;

const demoGroups = [
  { slug: "demo-northgate", name: "Northgate Radiology Residency", inviteCode: "DEMO-NORTHGATE", members: ["priya", "tomas", "jonah", "luis"] },
  { slug: "demo-harbor", name: "Harbor City Program", inviteCode: "DEMO-HARBOR", members: ["mei", "sara"] },
  { slug: "demo-summit", name: "Summit Valley Residents", inviteCode: "DEMO-SUMMIT", members: ["ines"] },
] as const;

const emailOf = (key: string) => `demo-${key}@casebook.local`;

/** A stable pseudo-random number in [0, 1) per text: the demo looks the same on every installation. */
function unit(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
}

type Key = { diagnosis: string; synonyms: string[]; partial: string[]; reject: string[] };

/** Plausible differentials for a case, from its key: right, right lower down, half right, near miss, wrong, vague. */
function answerPool(key: Key): string[][] {
  const pool: string[][] = [[key.diagnosis], [key.synonyms[0] ?? key.diagnosis]];
  pool.push(["schwannoma", key.diagnosis]);
  if (key.partial[0]) pool.push([key.partial[0]]);
  if (key.reject[0]) pool.push([key.reject[0]]);
  // The last one names no entity: the grader sends it to an educator, so the review queue has an example.
  pool.push(["lymphoma", "neurofibroma"], ["metastatic disease"], ["soft tissue mass"]);
  return pool;
}

/**
 * Idempotently seeds demo residents, 3 groups and their competition entries on every case revealed at `now`
 * (graded by the real grader against the case's answer key, timed before the case closed). Existing rows are
 * left alone, so running it at every start is safe. Returns how many entries it added.
 */
export async function seedDemoSubmissions(db: Db, now: Date): Promise<{ residents: number; groups: number; submissions: number }> {
  const residentIds = new Map<string, string>();
  for (const r of demoResidents) {
    const existing = await getUserByEmail(db, emailOf(r.key));
    const user = existing ?? (await insertUser(db, { email: emailOf(r.key), name: r.name, pseudonym: r.pseudonym, role: "resident", passwordHash: null })) ?? (await getUserByEmail(db, emailOf(r.key)));
    if (user) residentIds.set(r.key, user.id);
  }
  const groupIds = new Map<string, string>();
  for (const g of demoGroups) {
    await db.insert(residentGroups).values({ slug: g.slug, name: g.name, inviteCode: g.inviteCode, kind: "program" }).onConflictDoNothing();
    const [row] = await db.select({ id: residentGroups.id }).from(residentGroups).where(eq(residentGroups.slug, g.slug));
    if (!row) continue;
    groupIds.set(g.slug, row.id);
    for (const m of g.members) {
      const id = residentIds.get(m);
      if (id) await addGroupMember(db, row.id, id);
    }
  }

  const caseRows = await db
    .select({ c: cases, key: answerKeys })
    .from(cases)
    .innerJoin(answerKeys, eq(answerKeys.caseId, cases.id))
    .orderBy(asc(cases.number));
  let added = 0;
  for (const { c, key } of caseRows) {
    if (getPhase(c, now) !== "revealed") continue;
    const closes = [c.closesAt, c.closedAt, c.revealedAt, c.revealsAt].filter((d): d is Date => d !== null).reduce((a, b) => (a < b ? a : b));
    const opens = c.opensAt ?? new Date(closes.getTime() - 14 * 86_400_000);
    const pool = answerPool(key);
    const entrants: { owner: { userId: string } | { groupId: string }; editor: string; seed: string }[] = [];
    for (const r of demoResidents) {
      const id = residentIds.get(r.key);
      // Not everyone answers every case: about four in five do.
      if (id && unit(`${c.slug}:${r.key}:joins`) < 0.8) entrants.push({ owner: { userId: id }, editor: id, seed: `${c.slug}:${r.key}` });
    }
    for (const g of demoGroups) {
      const id = groupIds.get(g.slug);
      const editor = residentIds.get(g.members[Math.floor(unit(`${c.slug}:${g.slug}:editor`) * g.members.length)] ?? g.members[0]);
      if (id && editor) entrants.push({ owner: { groupId: id }, editor, seed: `${c.slug}:${g.slug}` });
    }
    for (const [i, e] of entrants.entries()) {
      // Skewed towards the right answer, as in a real teaching round.
      const u = unit(`${e.seed}:answer`);
      const answers = pool[u < 0.45 ? 0 : Math.min(pool.length - 1, 1 + Math.floor(((u - 0.45) / 0.55) * (pool.length - 1)))]!;
      const graded = gradeSubmission(answers, key);
      const span = Math.max(closes.getTime() - opens.getTime(), 3_600_000);
      const at = new Date(opens.getTime() + span * (0.1 + 0.8 * unit(`${e.seed}:time:${i}`)));
      const inserted = await db
        .insert(submissions)
        .values({
          caseId: c.id,
          userId: "userId" in e.owner ? e.owner.userId : null,
          groupId: "groupId" in e.owner ? e.owner.groupId : null,
          mode: "competition",
          answers,
          verdict: graded.verdict,
          score: storedScore(graded.verdict, graded.score),
          answerGroup: graded.group,
          lastEditedBy: e.editor,
          submittedAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .returning({ id: submissions.id });
      const row = inserted[0];
      if (!row) continue;
      await db.insert(submissionRevisions).values({ submissionId: row.id, answers, editedBy: e.editor, at });
      added += 1;
    }
  }
  if (added > 0) {
    // Entries on revealed cases change rankings that may already be cached.
    await bumpLeaderboardVersion(db);
    await recordAudit(db, { actorId: null, action: "demo.seed-submissions", entity: "submission", detail: { added } });
  }
  return { residents: residentIds.size, groups: groupIds.size, submissions: added };
}
