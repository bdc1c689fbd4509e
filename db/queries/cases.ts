import { and, asc, eq, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { caseAuthors, caseContent, cases, instances, keyImages, series, submissions, type CaseRow } from "../schema";

export type LibraryFilters = {
  q?: string;
  modality?: string;
  region?: string;
  tag?: string;
  /** Only cases this user has (or has not) answered. */
  solvedBy?: { userId: string; solved: boolean };
  /** Residents see published cases that have opened; staff see everything. */
  includeUnopened: boolean;
  now: Date;
};

/** Public columns only: this is what the library may show before a reveal. */
export const publicCaseColumns = {
  id: cases.id,
  slug: cases.slug,
  number: cases.number,
  status: cases.status,
  opensAt: cases.opensAt,
  closesAt: cases.closesAt,
  revealsAt: cases.revealsAt,
  closedAt: cases.closedAt,
  revealedAt: cases.revealedAt,
  authorId: cases.authorId,
  summary: cases.summary,
  history: cases.history,
  ageBucket: cases.ageBucket,
  sex: cases.sex,
  tags: cases.tags,
  modalities: cases.modalities,
  bodyRegion: cases.bodyRegion,
  difficulty: cases.difficulty,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
} as const;

export type PublicCase = Pick<CaseRow, keyof typeof publicCaseColumns>;

/** The case library: public fields, newest first, with the filters applied in SQL. */
export async function listLibraryCases(db: Db, f: LibraryFilters): Promise<PublicCase[]> {
  const where: SQL[] = [];
  if (!f.includeUnopened) {
    where.push(eq(cases.status, "published"));
    where.push(lte(cases.opensAt, f.now));
  }
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(cases.summary, pattern), ilike(cases.history, pattern), sql`array_to_string(${cases.tags}, ' ') ilike ${pattern}`)!);
  }
  if (f.modality) where.push(sql`${f.modality} = any(${cases.modalities})`);
  if (f.region) where.push(eq(cases.bodyRegion, f.region));
  if (f.tag) where.push(sql`${f.tag} = any(${cases.tags})`);
  if (f.solvedBy) {
    const answered = sql`exists (select 1 from ${submissions} where ${submissions.caseId} = ${cases.id} and ${submissions.userId} = ${f.solvedBy.userId})`;
    where.push(f.solvedBy.solved ? answered : sql`not ${answered}`);
  }
  return db
    .select(publicCaseColumns)
    .from(cases)
    .where(where.length ? and(...where) : undefined)
    .orderBy(sql`${cases.opensAt} desc nulls last`, asc(cases.number));
}

/** Distinct values for the library's filter menus. */
export async function listLibraryFacets(db: Db) {
  const rows = await db.select({ modalities: cases.modalities, region: cases.bodyRegion, tags: cases.tags }).from(cases);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    modalities: sorted(rows.flatMap((r) => r.modalities)),
    regions: sorted(rows.flatMap((r) => (r.region ? [r.region] : []))),
    tags: sorted(rows.flatMap((r) => r.tags)),
  };
}

/** One case's public row by slug, or undefined. */
export async function getPublicCase(db: Db, slug: string): Promise<PublicCase | undefined> {
  const rows = await db.select(publicCaseColumns).from(cases).where(eq(cases.slug, slug)).limit(1);
  return rows[0];
}

/** One case's public row by its display number (the only address residents see); undefined for junk. */
export async function getPublicCaseByNumber(db: Db, number: string): Promise<PublicCase | undefined> {
  if (!/^[1-9][0-9]{0,8}$/.test(number)) return undefined;
  const rows = await db.select(publicCaseColumns).from(cases).where(eq(cases.number, Number(number))).limit(1);
  return rows[0];
}

export async function listCoAuthorIds(db: Db, caseId: string): Promise<string[]> {
  const rows = await db.select({ userId: caseAuthors.userId }).from(caseAuthors).where(eq(caseAuthors.caseId, caseId));
  return rows.map((r) => r.userId);
}

/** The hidden teaching text. Callers must have asked lib/cases/visibility first. */
export async function getCaseContent(db: Db, caseId: string) {
  const rows = await db.select().from(caseContent).where(eq(caseContent.caseId, caseId)).limit(1);
  return rows[0];
}

/** Key images with annotations. Callers must have asked lib/cases/visibility first. */
export async function listKeyImages(db: Db, caseId: string) {
  return db
    .select({ id: keyImages.id, instanceId: keyImages.instanceId, seriesId: instances.seriesId, caption: keyImages.caption, annotations: keyImages.annotations })
    .from(keyImages)
    .innerJoin(instances, eq(keyImages.instanceId, instances.id))
    .where(eq(keyImages.caseId, caseId))
    .orderBy(asc(keyImages.position));
}

/** Series of a case in display order, each with its sorted instances (geometry only, no storage keys). */
export async function listCaseSeries(db: Db, caseId: string, options: { includeHeld?: boolean } = {}) {
  // Written out with table names: drizzle leaves columns unqualified in a one-table select, and inside the
  // correlated subquery "id" would name the instance's.
  const column = (c: keyof typeof instances.$inferSelect) => sql`i.${sql.identifier(instances[c].name)}`;
  // Images held for possible burned-in text are for their editors only (the case editor asks for them).
  const held = options.includeHeld ? sql`` : sql` and ${column("burnedInHold")} is null`;
  // One row per series with its instances as one JSON array in display order: PGlite decodes each field of a
  // result in JavaScript, which for a 300-slice series (4,000 fields) cost 20-30 ms of CPU per case page; one
  // JSON value per series is parsed natively (5-9 ms for the same read).
  const rows = await db
    .select({
      id: series.id,
      description: series.description,
      modality: series.modality,
      seriesNumber: series.seriesNumber,
      frameOfReferenceUid: series.frameOfReferenceUid,
      instances: sql<InstanceTuple[] | null>`(select json_agg(json_build_array(${sql.join(INSTANCE_COLUMNS.map(column), sql`, `)}) order by ${column("sortIndex")})
        from ${instances} i where ${column("seriesId")} = ${series}.${sql.identifier(series.id.name)}${held})`,
    })
    .from(series)
    .where(eq(series.caseId, caseId))
    .orderBy(asc(series.position));
  const listed = rows.map((row) => ({ ...row, instances: (row.instances ?? []).map((t) => toListedInstance(row.id, t)) }));
  return options.includeHeld ? listed : listed.filter((row) => row.instances.length > 0);
}

/** The instance columns listCaseSeries reads, in the order of its JSON tuples. */
const INSTANCE_COLUMNS = ["id", "instanceNumber", "sortIndex", "imagePosition", "imageOrientation", "sliceLocation", "sliceThickness", "pixelSpacing", "rows", "columns", "frames", "windowCenter", "windowWidth"] as const;

/** PostgreSQL writes NaN and the infinities as strings in JSON. */
type JsonDouble = number | string | null;
type InstanceTuple = [string, number | null, number, JsonDouble[] | null, JsonDouble[] | null, JsonDouble, JsonDouble, JsonDouble[] | null, number, number, number, JsonDouble, JsonDouble];

const toDouble = (v: JsonDouble) => (typeof v === "string" ? Number(v) : v);
const toDoubles = (v: JsonDouble[] | null) => (v === null ? null : (v.map(toDouble) as number[]));

function toListedInstance(seriesId: string, t: InstanceTuple) {
  return {
    id: t[0],
    seriesId,
    instanceNumber: t[1],
    sortIndex: t[2],
    imagePosition: toDoubles(t[3]),
    imageOrientation: toDoubles(t[4]),
    sliceLocation: toDouble(t[5]),
    sliceThickness: toDouble(t[6]),
    pixelSpacing: toDoubles(t[7]),
    rows: t[8],
    columns: t[9],
    frames: t[10],
    windowCenter: toDouble(t[11]),
    windowWidth: toDouble(t[12]),
  };
}

/** For the library cards: the middle image of each case's first series. */
export async function listCoverInstanceIds(db: Db, caseIds: string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const result = await db.execute(sql`
    select distinct on (s.case_id) s.case_id, i.id as instance_id
    from ${series} s
    join ${instances} i on i.series_id = s.id and i.sort_index = s.instance_count / 2 and i.burned_in_hold is null
    where s.case_id in ${sql`(${sql.join(caseIds.map((id) => sql`${id}::uuid`), sql`, `)})`}
    order by s.case_id, s.position`);
  const rows = (result as unknown as { rows: { case_id: string; instance_id: string }[] }).rows;
  return new Map(rows.map((r) => [r.case_id, r.instance_id]));
}

/** An instance with the case it belongs to, for the image routes' access check. */
export async function getInstanceForServing(db: Db, instanceId: string) {
  const rows = await db
    .select({
      storageKey: instances.storageKey,
      sha256: instances.sha256,
      byteSize: instances.byteSize,
      windowCenter: instances.windowCenter,
      windowWidth: instances.windowWidth,
      burnedInHold: instances.burnedInHold,
      case: publicCaseColumns,
    })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .innerJoin(cases, eq(series.caseId, cases.id))
    .where(eq(instances.id, instanceId))
    .limit(1);
  return rows[0];
}
