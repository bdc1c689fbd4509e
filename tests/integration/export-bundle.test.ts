import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import YAML from "yaml";
import type { DatabaseHandle } from "@/db/client";
import { insertDraftCase } from "@/db/queries/case-editing";
import { getCaseIdBySlugOrNumber } from "@/db/queries/case-export";
import { caseAuthors, cases, collectionCases, collections, instances, keyImages, series, submissions, users } from "@/db/schema";
import { CASE_DEFINITIONS } from "@/cases/generator/registry";
import { caseFileSchema } from "@/lib/cases/bundle-schema";
import { ExportError, prepareCaseExport, streamBundleZip } from "@/lib/cases/export-bundle";
import { importCollections } from "@/lib/cases/import-bundle";
import { runCaseImport } from "@/lib/cases/import-runner";
import { extractBundleZip } from "@/lib/cases/unzip-bundle";
import { LocalFolderStorage } from "@/lib/storage";
import { caseSnapshot } from "../support/case-snapshot";
import { writeGeneratedBundle } from "../support/generated-bundle";
import { createTestDatabase, testEngine } from "../support/test-db";

const def = CASE_DEFINITIONS.find((d) => d.slug === "emh-thalassemia-active")!;
const collection = { slug: "thalassemia-paraspinal-masses", title: "Paraspinal masses in thalassemia", description: "Four patterns.", cases: [def.slug] };

let source: DatabaseHandle;
let target: DatabaseHandle;
let work: string;
let sourceStorage: LocalFolderStorage;
let targetStorage: LocalFolderStorage;
let zipFile: string;

async function exportTo(file: string, caseId: string, editor: Parameters<typeof prepareCaseExport>[3] = null) {
  const prepared = await prepareCaseExport(source.db, sourceStorage, caseId, editor);
  await pipeline(streamBundleZip(sourceStorage, prepared), fs.createWriteStream(file));
  return prepared;
}

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  work = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-export-"));
  sourceStorage = new LocalFolderStorage(path.join(work, "source-storage"));
  targetStorage = new LocalFolderStorage(path.join(work, "target-storage"));
  // A real bundled case with a few slices per series (their pixel data differs slice to slice).
  await runCaseImport(source.db, sourceStorage, writeGeneratedBundle(def, [2, 3, 4]), { authorId: null });
  await importCollections(source.db, { collections: [collection] });
  zipFile = path.join(work, `${def.slug}.zip`);
  await exportTo(zipFile, (await getCaseIdBySlugOrNumber(source.db, def.slug))!);
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  await fsp.rm(work, { recursive: true, force: true });
});

describe(`bundle export on ${testEngine}`, () => {
  it("writes the bundle layout: case.yaml with every field, key-images.yaml, collections.yaml, one DICOM file per image", async () => {
    const dir = await extractBundleZip(zipFile);
    try {
      const caseYaml = YAML.parse(await fsp.readFile(path.join(dir, def.slug, "case.yaml"), "utf8")) as Record<string, unknown>;
      const raw = YAML.parse(await fsp.readFile(path.join("cases", def.slug, "case.yaml"), "utf8")) as Record<string, unknown>;
      const original = caseFileSchema.parse(raw) as Record<string, unknown>; // as the importer read it (trimmed)
      // Every field of the source bundle is there; the schedule is absolute (the import resolved the offsets).
      expect(Object.keys(caseYaml).sort()).toEqual(expect.arrayContaining(Object.keys(raw)));
      for (const field of ["title", "summary", "findings", "diagnosis", "discussion", "differential", "learning_points", "references", "answer", "presentation", "modality", "region", "tags", "difficulty"]) {
        expect(caseYaml[field], field).toEqual(original[field]);
      }
      expect((caseYaml.schedule as { opens: string }).opens).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      const keyYaml = YAML.parse(await fsp.readFile(path.join(dir, def.slug, "key-images.yaml"), "utf8")) as { key_images: unknown[] };
      const originalKeys = YAML.parse(await fsp.readFile(path.join("cases", def.slug, "key-images.yaml"), "utf8")) as { key_images: unknown[] };
      expect(keyYaml.key_images).toEqual(originalKeys.key_images);
      const collectionsYaml = YAML.parse(await fsp.readFile(path.join(dir, "collections.yaml"), "utf8")) as { collections: unknown[] };
      expect(collectionsYaml.collections).toEqual([collection]);
      const dicom = (await fsp.readdir(path.join(dir, def.slug, "dicom"), { recursive: true })).filter((f) => f.endsWith(".dcm"));
      const [{ n } = { n: 0 }] = await source.db.select({ n: count() }).from(instances);
      expect(dicom.length).toBe(n);
      expect(dicom.sort()[0]).toBe(path.join("s01", "0001.dcm"));
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it("round trip: importing the export into a fresh database gives equal text, answer key, key images, collections and pixel data", async () => {
    const result = await runCaseImport(target.db, targetStorage, zipFile, { authorId: null });
    expect(result.outcomes).toEqual([expect.objectContaining({ slug: def.slug, status: "imported" })]);
    const before = await caseSnapshot(source.db, sourceStorage, def.slug);
    const after = await caseSnapshot(target.db, targetStorage, def.slug);
    expect(before.series.length).toBeGreaterThanOrEqual(2);
    expect(before.keyImages.length).toBeGreaterThanOrEqual(2);
    expect(before.collections).toHaveLength(1);
    const hashes = before.series.flatMap((s) => s.images.map((i) => i.pixels));
    expect(new Set(hashes).size).toBeGreaterThan(before.series.length); // slices differ: the comparison can fail
    expect(after).toEqual(before);
  });

  it("a second import of the same export skips the case cleanly and writes nothing", async () => {
    const counts = async () => ({
      cases: (await target.db.select({ n: count() }).from(cases))[0]!.n,
      instances: (await target.db.select({ n: count() }).from(instances))[0]!.n,
      keyImages: (await target.db.select({ n: count() }).from(keyImages))[0]!.n,
      members: (await target.db.select({ n: count() }).from(collectionCases))[0]!.n,
      blobs: (await fsp.readdir(path.join(work, "target-storage"), { recursive: true })).length,
    });
    const before = await counts();
    const result = await runCaseImport(target.db, targetStorage, zipFile, { authorId: null });
    expect(result.outcomes).toEqual([{ slug: def.slug, status: "skipped", series: 0, instances: 0 }]);
    expect(await counts()).toEqual(before);
  });

  it("adds the case to an existing collection without removing its other members", async () => {
    const [owner] = await target.db.insert(users).values({ email: "owner@example.org", name: "Owner", role: "educator" }).returning({ id: users.id });
    const other = await insertDraftCase(target.db, { slug: "other-case", title: "Other", authorId: owner!.id });
    await target.db.delete(cases).where(eq(cases.slug, def.slug));
    const [col] = await target.db.select().from(collections).where(eq(collections.slug, collection.slug));
    await target.db.insert(collectionCases).values({ collectionId: col!.id, caseId: other.id, position: 0 });
    await runCaseImport(target.db, targetStorage, zipFile, { authorId: null });
    const members = await target.db
      .select({ slug: cases.slug, position: collectionCases.position })
      .from(collectionCases)
      .innerJoin(cases, eq(collectionCases.caseId, cases.id))
      .where(eq(collectionCases.collectionId, col!.id));
    expect(members.sort((a, b) => a.position - b.position)).toEqual([{ slug: "other-case", position: 0 }, { slug: def.slug, position: 1 }]);
  });

  it("names key images by series number when series have no description (uploads whose descriptions were removed)", async () => {
    const other = CASE_DEFINITIONS.find((d) => d.slug === "emh-epidural-thoracic")!;
    await runCaseImport(source.db, sourceStorage, writeGeneratedBundle(other), { authorId: null });
    const caseId = (await getCaseIdBySlugOrNumber(source.db, other.slug))!;
    await source.db.update(series).set({ description: "" }).where(eq(series.caseId, caseId));
    const file = path.join(work, `${other.slug}.zip`);
    const prepared = await exportTo(file, caseId);
    const keys = YAML.parse(prepared.keyImagesYaml) as { key_images: { series?: string; series_number?: number }[] };
    expect(keys.key_images.length).toBeGreaterThanOrEqual(2);
    expect(keys.key_images.every((k) => k.series === undefined && typeof k.series_number === "number")).toBe(true);
    await runCaseImport(target.db, targetStorage, file, { authorId: null });
    const [before, after] = [await caseSnapshot(source.db, sourceStorage, other.slug), await caseSnapshot(target.db, targetStorage, other.slug)];
    expect(after.keyImages).toEqual(before.keyImages);
    expect(after.series.map((x) => x.images.map((i) => i.pixels))).toEqual(before.series.map((x) => x.images.map((i) => i.pixels)));
  });

  it("round trip of a renamed, shared case: series names, author and co-authors arrive; key images go by series number", async () => {
    const other = CASE_DEFINITIONS.find((d) => d.slug === "emh-epidural-thoracic")!;
    await target.db.delete(cases).where(eq(cases.slug, other.slug));
    const caseId = (await getCaseIdBySlugOrNumber(source.db, other.slug))!;
    const rows = await source.db.select({ id: series.id, seriesNumber: series.seriesNumber }).from(series).where(eq(series.caseId, caseId));
    for (const r of rows) await source.db.update(series).set({ description: `RENAMED ${r.seriesNumber}` }).where(eq(series.id, r.id));
    const people = ["writer@example.org", "partner@example.org", "second@example.org"];
    for (const db of [source.db, target.db]) {
      await db.insert(users).values(people.map((email) => ({ email, name: email.split("@")[0]!, role: "educator" as const })));
    }
    const ids = new Map((await source.db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]));
    await source.db.update(cases).set({ authorId: ids.get(people[0]!)! }).where(eq(cases.id, caseId));
    // The target spells one address in capitals: e-mail matching ignores case.
    await target.db.update(users).set({ email: "Second@Example.org" }).where(eq(users.email, people[2]!));
    await source.db.insert(caseAuthors).values([{ caseId, userId: ids.get(people[1]!)! }, { caseId, userId: ids.get(people[2]!)! }]);

    const file = path.join(work, `${other.slug}-renamed.zip`);
    const prepared = await exportTo(file, caseId);
    const keys = YAML.parse(prepared.keyImagesYaml) as { key_images: { series?: string; series_number?: number }[] };
    expect(keys.key_images.every((k) => k.series === undefined && typeof k.series_number === "number")).toBe(true);
    const caseYaml = YAML.parse(prepared.caseYaml) as { author: string; co_authors: string[]; series: { folder: string; description: string }[] };
    expect(caseYaml.author).toBe(people[0]);
    expect(caseYaml.co_authors).toEqual([people[1], people[2]]);
    expect(caseYaml.series.map((s) => s.folder)).toEqual(rows.map((_, i) => `s0${i + 1}`));

    const result = await runCaseImport(target.db, targetStorage, file, { authorId: null });
    expect(result.outcomes[0]!.people).toEqual({ author: people[0], shared: [people[1], people[2]], unmatched: [] });
    const [before, after] = [await caseSnapshot(source.db, sourceStorage, other.slug), await caseSnapshot(target.db, targetStorage, other.slug)];
    expect(before.series.map((s) => s.description).every((d) => d.startsWith("RENAMED "))).toBe(true);
    expect(before.people.coAuthors).toHaveLength(2);
    expect({ ...after, people: { ...after.people, coAuthors: after.people.coAuthors.map((e) => e.toLowerCase()).sort() } }).toEqual(before);
  });

  it("an imported bundle's unknown co-authors and residents are reported, never added or given accounts; submissions stay behind", async () => {
    const other = CASE_DEFINITIONS.find((d) => d.slug === "emh-epidural-thoracic")!;
    await target.db.delete(cases).where(eq(cases.slug, other.slug));
    const caseId = (await getCaseIdBySlugOrNumber(source.db, other.slug))!;
    const [ghost, resident] = await source.db
      .insert(users)
      .values([
        { email: "ghost@example.org", name: "Ghost", role: "educator" },
        { email: "was-educator@example.org", name: "Moved", role: "educator" },
      ])
      .returning({ id: users.id });
    await source.db.insert(caseAuthors).values([{ caseId, userId: ghost!.id }, { caseId, userId: resident!.id }]);
    await target.db.insert(users).values({ email: "was-educator@example.org", name: "Moved", role: "resident" });
    const [learner] = await source.db.insert(users).values({ email: "learner@example.org", name: "Learner", role: "resident" }).returning({ id: users.id });
    await source.db.insert(submissions).values({ caseId, userId: learner!.id, answers: ["schwannoma"] });
    const usersBefore = (await target.db.select({ email: users.email }).from(users)).map((u) => u.email).sort();

    const file = path.join(work, `${other.slug}-shared.zip`);
    const prepared = await exportTo(file, caseId);
    expect(prepared.submissionsLeftOut).toBe(1);
    const [importer] = await target.db.select({ id: users.id }).from(users).where(eq(users.email, "partner@example.org"));
    const result = await runCaseImport(target.db, targetStorage, file, { authorId: importer!.id });
    // The importer is the author; the bundle's author becomes a co-author; the importer is not listed twice.
    expect(result.outcomes[0]!.people).toEqual({
      author: null,
      shared: ["writer@example.org", "second@example.org"],
      unmatched: [
        { email: "ghost@example.org", reason: "no account" },
        { email: "was-educator@example.org", reason: "not an educator" },
      ],
    });
    expect((await target.db.select({ email: users.email }).from(users)).map((u) => u.email).sort()).toEqual(usersBefore);
    const after = await caseSnapshot(target.db, targetStorage, other.slug);
    expect(after.people).toEqual({ author: "partner@example.org", coAuthors: ["Second@Example.org", "writer@example.org"] });
    const [imported] = await target.db.select({ id: cases.id }).from(cases).where(eq(cases.slug, other.slug));
    expect(await target.db.select({ n: count() }).from(submissions).where(eq(submissions.caseId, imported!.id))).toEqual([{ n: 0 }]);
  });


  it("lets the author, co-authors and admins export, and refuses other educators and residents", async () => {
    const caseId = (await getCaseIdBySlugOrNumber(source.db, def.slug))!;
    const made = await source.db
      .insert(users)
      .values([
        { email: "author@example.org", name: "Author", role: "educator" },
        { email: "co@example.org", name: "Co", role: "educator" },
        { email: "other@example.org", name: "Other", role: "educator" },
        { email: "admin@example.org", name: "Admin", role: "admin" },
        { email: "res@example.org", name: "Res", role: "resident" },
      ])
      .returning({ id: users.id, role: users.role, email: users.email });
    const [author, co, other, admin, resident] = made;
    await source.db.update(cases).set({ authorId: author!.id }).where(eq(cases.id, caseId));
    await source.db.insert(caseAuthors).values({ caseId, userId: co!.id });
    for (const allowed of [author!, co!, admin!]) {
      await expect(prepareCaseExport(source.db, sourceStorage, caseId, allowed), allowed.email).resolves.toMatchObject({ slug: def.slug });
    }
    for (const refused of [other!, resident!]) {
      await expect(prepareCaseExport(source.db, sourceStorage, caseId, refused), refused.email).rejects.toMatchObject({ code: "forbidden" });
    }
  });

  it("refuses an incomplete draft with the field to complete, and writes no zip", async () => {
    const [owner] = await source.db.select({ id: users.id }).from(users).where(eq(users.email, "author@example.org"));
    const draft = await insertDraftCase(source.db, { slug: "half-written", title: "Half written", authorId: owner!.id });
    const error = await prepareCaseExport(source.db, sourceStorage, draft.id, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).message).toMatch(/^half-written\/case\.yaml: presentation\.\w+: .*complete the case in the editor/);
  });
});
