import { createHash } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import dicomParser from "dicom-parser";
import type { Db } from "@/db/client";
import { answerKeys, caseAuthors, caseContent, cases, collectionCases, collections, instances, keyImages, series, users } from "@/db/schema";
import type { BlobStorage } from "@/lib/storage";

/** SHA-256 of the PixelData value of one stored Part 10 file (the decoded pixel bytes: the stored syntax is uncompressed). */
export function pixelDataHash(bytes: Uint8Array): string {
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new Error("no PixelData");
  return createHash("sha256").update(bytes.subarray(element.dataOffset, element.dataOffset + element.length)).digest("hex");
}

/**
 * Everything of a case that must survive an export and an import elsewhere, without ids and UIDs (the importer
 * de-identifies again and may remap UIDs): text, schedule, answer key, collections, series in display order (with
 * their names) with each image's pixel hash in slice order, key images named by series position and slice index,
 * and the author's and co-authors' e-mail addresses.
 */
export async function caseSnapshot(db: Db, storage: BlobStorage, slug: string) {
  const [c] = await db.select().from(cases).where(eq(cases.slug, slug));
  if (!c) throw new Error(`no case ${slug}`);
  const [content] = await db.select().from(caseContent).where(eq(caseContent.caseId, c.id));
  const [key] = await db.select().from(answerKeys).where(eq(answerKeys.caseId, c.id));
  const memberOf = await db
    .select({ slug: collections.slug, title: collections.title, description: collections.description })
    .from(collectionCases)
    .innerJoin(collections, eq(collectionCases.collectionId, collections.id))
    .where(eq(collectionCases.caseId, c.id))
    .orderBy(asc(collections.slug));
  const seriesRows = await db.select().from(series).where(eq(series.caseId, c.id)).orderBy(asc(series.position));
  const where = new Map<string, string>();
  const seriesOut = [];
  for (const s of seriesRows) {
    const rows = await db.select().from(instances).where(eq(instances.seriesId, s.id)).orderBy(asc(instances.sortIndex));
    const images = [];
    for (const i of rows) {
      where.set(i.id, `${s.position}/${i.sortIndex}`);
      const bytes = await storage.read(i.storageKey);
      if (!bytes) throw new Error(`missing blob ${i.storageKey}`);
      images.push({
        sortIndex: i.sortIndex,
        instanceNumber: i.instanceNumber,
        rows: i.rows,
        columns: i.columns,
        imagePosition: i.imagePosition,
        windowCenter: i.windowCenter,
        windowWidth: i.windowWidth,
        pixels: pixelDataHash(bytes),
      });
    }
    seriesOut.push({ position: s.position, description: s.description, modality: s.modality, seriesNumber: s.seriesNumber, images });
  }
  const keys = await db.select().from(keyImages).where(eq(keyImages.caseId, c.id)).orderBy(asc(keyImages.position));
  const [author] = c.authorId ? await db.select({ email: users.email }).from(users).where(eq(users.id, c.authorId)) : [];
  const coAuthors = await db.select({ email: users.email }).from(caseAuthors).innerJoin(users, eq(caseAuthors.userId, users.id)).where(eq(caseAuthors.caseId, c.id)).orderBy(asc(users.email));
  return {
    case: {
      slug: c.slug,
      status: c.status,
      summary: c.summary,
      history: c.history,
      ageBucket: c.ageBucket,
      sex: c.sex,
      tags: c.tags,
      modalities: c.modalities,
      bodyRegion: c.bodyRegion,
      difficulty: c.difficulty,
      opensAt: c.opensAt?.toISOString(),
      closesAt: c.closesAt?.toISOString(),
      revealsAt: c.revealsAt?.toISOString(),
    },
    content: content && { ...content, caseId: undefined, updatedAt: undefined },
    answerKey: key && { diagnosis: key.diagnosis, synonyms: key.synonyms, partial: key.partial, reject: key.reject },
    collections: memberOf,
    series: seriesOut,
    people: { author: author?.email ?? null, coAuthors: coAuthors.map((a) => a.email) },
    keyImages: keys.map((k) => ({ at: where.get(k.instanceId), position: k.position, caption: k.caption, annotations: k.annotations })),
  };
}
