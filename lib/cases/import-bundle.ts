import fs from "node:fs/promises";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { answerKeys, caseAuthors, caseContent, cases, collectionCases, collections, instances, keyImages, series, studies, users } from "@/db/schema";
import type { IngestedInstance, PrepareDicom } from "@/lib/dicom/ingest-types";
import { sortSlices } from "@/lib/dicom/sort-series";
import type { BlobStorage } from "@/lib/storage";
import { instanceRowValues, removeUnreferencedBlobs } from "@/lib/uploads/case-images";
import { leakingPhrase } from "./answer-leaks";
import { BundleError, type CaseBundle } from "./bundle";
import { resolveMoment, type CollectionsFile } from "./bundle-schema";

export type ImportOptions = {
  now: Date;
  authorId: string | null;
  /** Re-import a case whose slug exists (its submissions go with it); otherwise it is skipped. */
  replace?: boolean;
  prepare: PrepareDicom;
};

/**
 * What happened to one bundle. `people` reports the e-mail addresses the bundle names as author and co-authors:
 * `shared` now co-author the case here (or, for the author of a bundle imported without one, `author`), `unmatched`
 * have no educator account on this instance and were left out (accounts are never created by an import).
 */
export type ImportOutcome = {
  slug: string;
  status: "imported" | "replaced" | "skipped";
  series: number;
  instances: number;
  people?: { author: string | null; shared: string[]; unmatched: { email: string; reason: "no account" | "not an educator" }[] };
};

type PreparedSeries = {
  uid: string;
  items: IngestedInstance[];
  storageKeys: Map<string, { key: string; sha256: string; size: number }>;
  /** The folders directly under dicom/ holding its files (a series' name in case.yaml is found by its folder). */
  folders: Set<string>;
};

/** The folder directly under `dicom/` a bundle file is in, or undefined for a file at its top. */
function topFolderOf(bundleDir: string, file: string): string | undefined {
  const parts = path.relative(path.join(bundleDir, "dicom"), file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/**
 * The description each series gets: the name case.yaml gives its folder, else its files' SeriesDescription. A
 * named folder must hold exactly one series, and no name may give the answer away.
 */
function seriesDescriptions(bundle: CaseBundle, ordered: readonly PreparedSeries[], answerPhrases: readonly string[]): string[] {
  const label = `${bundle.caseFile.slug}/case.yaml`;
  const named = new Map<PreparedSeries, string>();
  for (const [i, entry] of bundle.caseFile.series.entries()) {
    const holders = ordered.filter((s) => s.folders.has(entry.folder));
    if (holders.length === 0) throw new BundleError(label, `series.${i}.folder`, `no DICOM files in dicom/${entry.folder}/`);
    if (holders.length > 1) throw new BundleError(label, `series.${i}.folder`, `dicom/${entry.folder}/ holds images of ${holders.length} series; a named folder must hold one`);
    const leak = leakingPhrase(entry.description, answerPhrases);
    if (leak) throw new BundleError(label, `series.${i}.description`, `"${entry.description}" gives the answer away ("${leak}"); use a neutral description`);
    named.set(holders[0]!, entry.description);
  }
  return ordered.map((s) => named.get(s) ?? s.items[0]!.seriesDescription);
}

/**
 * Gives the case its people on this instance, matched by e-mail (case-insensitively): the bundle's author becomes
 * the author when the import has none (the command line), otherwise a co-author like the bundle's co-authors.
 * Residents and unknown addresses are reported, never added and never given accounts.
 */
async function addPeople(tx: Db, caseId: string, caseFile: CaseBundle["caseFile"], importerId: string | null): Promise<NonNullable<ImportOutcome["people"]>> {
  const wanted = [...new Set([caseFile.author, ...caseFile.co_authors].filter((e): e is string => !!e))];
  const found = wanted.length
    ? await tx
        .select({ id: users.id, email: users.email, role: users.role })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, wanted))
    : [];
  const byEmail = new Map(found.map((u) => [u.email.toLowerCase(), u]));
  const people: NonNullable<ImportOutcome["people"]> = { author: null, shared: [], unmatched: [] };
  for (const email of wanted) {
    const user = byEmail.get(email);
    if (!user) people.unmatched.push({ email, reason: "no account" });
    else if (user.role === "resident") people.unmatched.push({ email, reason: "not an educator" });
    else if (email === caseFile.author && importerId === null) {
      await tx.update(cases).set({ authorId: user.id }).where(eq(cases.id, caseId));
      people.author = email;
    } else if (user.id !== importerId) {
      await tx.insert(caseAuthors).values({ caseId, userId: user.id }).onConflictDoNothing();
      people.shared.push(email);
    }
  }
  return people;
}

/**
 * Imports one validated bundle: de-identifies and normalises every DICOM file, stores the bytes, then writes
 * the case in one transaction. On any error nothing of the case is written and blobs it added are removed.
 */
export async function importBundle(db: Db, storage: BlobStorage, bundle: CaseBundle, options: ImportOptions): Promise<ImportOutcome> {
  const { caseFile } = bundle;
  const slug = caseFile.slug;
  const existing = await db.select({ id: cases.id }).from(cases).where(eq(cases.slug, slug)).limit(1);
  if (existing[0] && !options.replace) return { slug, status: "skipped", series: 0, instances: 0 };

  const answerPhrases = [caseFile.answer.diagnosis, ...caseFile.answer.synonyms];
  const addedKeys: string[] = [];
  const bySeries = new Map<string, PreparedSeries>();
  try {
    for (const file of bundle.dicomFiles) {
      const label = `${slug}/${path.relative(bundle.dir, file)}`;
      let prepared: IngestedInstance;
      try {
        prepared = await options.prepare(new Uint8Array(await fs.readFile(file)), label);
      } catch (error) {
        throw new BundleError(label, undefined, error instanceof Error ? error.message : String(error));
      }
      for (const [field, value] of [["SeriesDescription", prepared.seriesDescription], ["StudyDescription", prepared.studyDescription]] as const) {
        const leak = leakingPhrase(value, answerPhrases);
        if (leak) throw new BundleError(label, field, `"${value}" gives the answer away ("${leak}"); use a neutral description`);
      }
      const stored = await storage.put(prepared.bytes, "dicom", "dcm");
      addedKeys.push(stored.key);
      const entry: PreparedSeries = bySeries.get(prepared.seriesInstanceUid) ?? { uid: prepared.seriesInstanceUid, items: [], storageKeys: new Map(), folders: new Set() };
      const folder = topFolderOf(bundle.dir, file);
      if (folder !== undefined) entry.folders.add(folder);
      if (entry.storageKeys.has(prepared.sopInstanceUid)) continue; // the same image twice in a bundle
      entry.items.push({ ...prepared, bytes: new Uint8Array(0) });
      entry.storageKeys.set(prepared.sopInstanceUid, stored);
      bySeries.set(prepared.seriesInstanceUid, entry);
    }

    const ordered = [...bySeries.values()].sort(
      (a, b) => (a.items[0]?.seriesNumber ?? 0) - (b.items[0]?.seriesNumber ?? 0) || a.uid.localeCompare(b.uid),
    );
    const descriptions = seriesDescriptions(bundle, ordered, answerPhrases);
    const outcome = await db.transaction(async (tx) => {
      if (existing[0]) await tx.delete(cases).where(eq(cases.id, existing[0].id));
      const [{ next } = { next: 1 }] = await tx.select({ next: sql<number>`coalesce(max(${cases.number}), 0) + 1` }).from(cases);
      const { schedule } = caseFile;
      const [row] = await tx
        .insert(cases)
        .values({
          slug,
          number: Number(next),
          status: caseFile.status,
          opensAt: schedule.opens === undefined ? null : resolveMoment(schedule.opens, options.now),
          closesAt: schedule.closes === undefined ? null : resolveMoment(schedule.closes, options.now),
          revealsAt: schedule.reveals === undefined ? null : resolveMoment(schedule.reveals, options.now),
          authorId: options.authorId,
          summary: caseFile.summary,
          history: caseFile.presentation.history,
          ageBucket: caseFile.presentation.age,
          sex: caseFile.presentation.sex,
          tags: caseFile.tags,
          modalities: caseFile.modality,
          bodyRegion: caseFile.region,
          difficulty: caseFile.difficulty,
        })
        .returning({ id: cases.id });
      const caseId = row!.id;
      await tx.insert(caseContent).values({
        caseId,
        title: caseFile.title,
        findings: caseFile.findings,
        diagnosis: caseFile.diagnosis,
        differential: caseFile.differential.map((d) => ({ diagnosis: d.diagnosis, whyLessLikely: d.why_less_likely })),
        discussion: caseFile.discussion,
        learningPoints: caseFile.learning_points,
        confirmation: caseFile.confirmation,
        references: caseFile.references,
        revealTags: caseFile.reveal_tags,
      });
      await tx.insert(answerKeys).values({ caseId, ...caseFile.answer });

      const studyIds = new Map<string, string>();
      // "<series description>#<instance number>" and "number:<series number>#<instance number>" -> id
      const instanceIds = new Map<string, string>();
      let instanceCount = 0;
      for (const [position, s] of ordered.entries()) {
        const first = s.items[0]!;
        let studyId = studyIds.get(first.studyInstanceUid);
        if (!studyId) {
          const [study] = await tx
            .insert(studies)
            .values({ caseId, studyInstanceUid: first.studyInstanceUid, description: first.studyDescription })
            .returning({ id: studies.id });
          studyId = study!.id;
          studyIds.set(first.studyInstanceUid, studyId);
        }
        const [seriesRow] = await tx
          .insert(series)
          .values({
            caseId,
            studyId,
            seriesInstanceUid: s.uid,
            frameOfReferenceUid: first.frameOfReferenceUid,
            modality: first.modality,
            description: descriptions[position]!,
            seriesNumber: first.seriesNumber,
            position,
            instanceCount: s.items.length,
          })
          .returning({ id: series.id });
        const sorted = sortSlices(s.items);
        const rows = await tx
          .insert(instances)
          .values(
            sorted.map((item, sortIndex) => instanceRowValues(seriesRow!.id, item, s.storageKeys.get(item.sopInstanceUid)!, sortIndex)),
          )
          .returning({ id: instances.id, instanceNumber: instances.instanceNumber });
        rows.forEach((r) => {
          instanceIds.set(`${first.seriesDescription}#${r.instanceNumber}`, r.id);
          if (first.seriesNumber !== null) instanceIds.set(`number:${first.seriesNumber}#${r.instanceNumber}`, r.id);
        });
        instanceCount += rows.length;
      }

      for (const [index, keyImage] of bundle.keyImages.key_images.entries()) {
        const byNumber = keyImage.series === undefined;
        const instanceId = instanceIds.get(`${byNumber ? `number:${keyImage.series_number}` : keyImage.series}#${keyImage.instance}`);
        if (!instanceId) {
          throw new BundleError(
            `${slug}/key-images.yaml`,
            `key_images.${index}`,
            byNumber ? `no image ${keyImage.instance} in series number ${keyImage.series_number}` : `no image ${keyImage.instance} in a series described "${keyImage.series}"`,
          );
        }
        await tx.insert(keyImages).values({ caseId, instanceId, position: index, caption: keyImage.caption, annotations: keyImage.annotations });
      }
      const people = await addPeople(tx, caseId, caseFile, options.authorId);
      await recordAudit(tx, {
        actorId: options.authorId,
        action: existing[0] ? "case.reimport" : "case.import",
        entity: "case",
        entityId: caseId,
        detail: { slug, series: ordered.length, instances: instanceCount, people },
      });
      return { slug, status: existing[0] ? ("replaced" as const) : ("imported" as const), series: ordered.length, instances: instanceCount, people };
    });
    return outcome;
  } catch (error) {
    await removeUnreferencedBlobs(db, storage, addedKeys);
    throw error;
  }
}

/** Writes collections.yaml: each collection replaced by its listed cases, in order; unknown slugs are refused. */
export async function importCollections(db: Db, file: CollectionsFile): Promise<number> {
  return db.transaction(async (tx) => {
    const known = new Map((await tx.select({ id: cases.id, slug: cases.slug }).from(cases)).map((c) => [c.slug, c.id]));
    for (const [position, c] of file.collections.entries()) {
      const missing = c.cases.find((slug) => !known.has(slug));
      if (missing) throw new BundleError("collections.yaml", `collections.${position}.cases`, `unknown case "${missing}"`);
      const [row] = await tx
        .insert(collections)
        .values({ slug: c.slug, title: c.title, description: c.description, position })
        .onConflictDoUpdate({ target: collections.slug, set: { title: c.title, description: c.description, position } })
        .returning({ id: collections.id });
      await tx.delete(collectionCases).where(eq(collectionCases.collectionId, row!.id));
      await tx.insert(collectionCases).values(c.cases.map((slug, i) => ({ collectionId: row!.id, caseId: known.get(slug)!, position: i })));
    }
    return file.collections.length;
  });
}

/**
 * Adds imported cases to the collections of an exported bundle's collections.yaml, creating a collection that
 * does not exist yet. Unlike {@link importCollections} it never removes a collection's other members: an export
 * lists only its own case.
 */
export async function addToCollections(db: Db, file: CollectionsFile, importedSlugs: readonly string[]): Promise<number> {
  return db.transaction(async (tx) => {
    let added = 0;
    for (const c of file.collections) {
      const slugs = c.cases.filter((s) => importedSlugs.includes(s));
      if (slugs.length === 0) continue;
      const [{ next } = { next: 0 }] = await tx.select({ next: sql<number>`coalesce(max(${collections.position}), -1) + 1` }).from(collections);
      await tx.insert(collections).values({ slug: c.slug, title: c.title, description: c.description, position: Number(next) }).onConflictDoNothing({ target: collections.slug });
      const [row] = await tx.select({ id: collections.id }).from(collections).where(eq(collections.slug, c.slug));
      for (const slug of slugs) {
        const [member] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.slug, slug));
        const [{ last } = { last: 0 }] = await tx
          .select({ last: sql<number>`coalesce(max(${collectionCases.position}), -1) + 1` })
          .from(collectionCases)
          .where(eq(collectionCases.collectionId, row!.id));
        const inserted = await tx
          .insert(collectionCases)
          .values({ collectionId: row!.id, caseId: member!.id, position: Number(last) })
          .onConflictDoNothing()
          .returning({ caseId: collectionCases.caseId });
        added += inserted.length;
      }
    }
    return added;
  });
}
