import type { Readable } from "node:stream";
import YAML from "yaml";
import yazl from "yazl";
import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";
import { recordAudit } from "@/db/queries/audit";
import { getCaseForExport, type CaseForExport } from "@/db/queries/case-export";
import { countHeldImages } from "@/db/queries/held-images";
import { listCoAuthorIds } from "@/db/queries/cases";
import { parseDicomBytes } from "@/lib/dicom/instance-meta";
import type { BlobStorage } from "@/lib/storage";
import { caseFileSchema, collectionsFileSchema, keyImagesFileSchema } from "./bundle-schema";

import { getCaseAccess } from "./visibility";

/** A case that cannot be written as a bundle (yet); the message says what to fix. */
export class ExportError extends Error {
  constructor(
    readonly code: "not-found" | "forbidden" | "incomplete",
    message: string,
  ) {
    super(message);
    this.name = "ExportError";
  }
}

export type BundleDocuments = { slug: string; caseYaml: string; keyImagesYaml: string; collectionsYaml: string | undefined };
export type BundleEntry = { path: string; storageKey: string; size: number };
/** `submissionsLeftOut`: the case's submissions on this instance, which a bundle never carries (cases/README.md). */
export type PreparedExport = BundleDocuments & { caseId: string; dicom: BundleEntry[]; coAuthors: number; submissionsLeftOut: number };

const iso = (d: Date | null | undefined) => d?.toISOString();
const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

/**
 * The schedule the bundle carries. The format has no manual close or reveal, so an early one becomes the
 * scheduled moment: the imported case is then in the same phase as the exported one.
 */
function scheduleOf(c: CaseForExport["case"]) {
  const reveals = earliest(c.revealsAt, c.revealedAt);
  let closes = earliest(c.closesAt, c.closedAt);
  if (closes && reveals && reveals < closes) closes = reveals;
  return { opens: iso(c.opensAt), closes: iso(closes), reveals: iso(reveals) };
}

function firstIssue(slug: string, file: string, error: { issues: { path: PropertyKey[]; message: string }[] }): ExportError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join(".");
  return new ExportError("incomplete", `${slug}/${file}: ${field ? `${field}: ` : ""}${issue.message} (complete the case in the editor before exporting)`);
}

const seriesFolder = (position: number) => `s${String(position + 1).padStart(2, "0")}`;
const instanceFile = (sortIndex: number) => `${String(sortIndex + 1).padStart(4, "0")}.dcm`;

/**
 * Turns a loaded case into the documents of its bundle (cases/README.md) and the list of DICOM entries, each
 * validated with the importer's own schemas, so an export that succeeds imports.
 */
export function bundleDocumentsOf(data: CaseForExport, dicomDescriptions?: ReadonlyMap<string, string>): PreparedExport {
  const { case: c, content, answerKey } = data;
  const slug = c.slug;
  // The names educators gave series live in the database, not in the stored files: carried by folder. A name the
  // files already have needs no entry.
  const seriesNames = data.series
    .filter((s) => !dicomDescriptions || dicomDescriptions.get(s.id) !== s.description)
    .map((s) => ({ folder: seriesFolder(s.position), description: s.description }));
  const caseDoc = {
    slug,
    title: content?.title ?? "",
    summary: c.summary,
    status: c.status,
    presentation: { age: c.ageBucket, sex: c.sex, history: c.history },
    modality: c.modalities,
    region: c.bodyRegion,
    tags: c.tags,
    difficulty: c.difficulty,
    schedule: Object.fromEntries(Object.entries(scheduleOf(c)).filter(([, v]) => v !== undefined)),
    findings: content?.findings ?? "",
    diagnosis: content?.diagnosis ?? "",
    differential: (content?.differential ?? []).map((d) => ({ diagnosis: d.diagnosis, why_less_likely: d.whyLessLikely })),
    discussion: content?.discussion ?? "",
    learning_points: content?.learningPoints ?? [],
    confirmation: content?.confirmation ?? "",
    references: content?.references ?? [],
    reveal_tags: content?.revealTags ?? [],
    answer: answerKey
      ? { diagnosis: answerKey.diagnosis, synonyms: answerKey.synonyms, partial: answerKey.partial, reject: answerKey.reject }
      : undefined,
    author: data.authorEmail,
    co_authors: data.coAuthorEmails.length ? data.coAuthorEmails : undefined,
    series: seriesNames.length ? seriesNames : undefined,
  };
  const checkedCase = caseFileSchema.safeParse(caseDoc);
  if (!checkedCase.success) throw firstIssue(slug, "case.yaml", checkedCase.error);
  if (data.series.length === 0) throw new ExportError("incomplete", `${slug}: the case has no images (upload a study first)`);

  // Key images name their image by series description (or, failing a unique one, series number) and instance
  // number: the reference must be unambiguous.
  const byInstance = new Map<string, { description: string; seriesNumber: number | null; instance: number | null }>();
  const descriptions = new Map<string, number>();
  const numbers = new Map<number, number>();
  for (const s of data.series) {
    // The importer matches a description against the files' SeriesDescription: a name the educator wrote (kept in
    // the database only; stored blobs are not rewritten) is not in the files, so such a series goes by number.
    const description = dicomDescriptions && dicomDescriptions.get(s.id) !== s.description ? "" : s.description;
    descriptions.set(description, (descriptions.get(description) ?? 0) + 1);
    if (s.seriesNumber !== null) numbers.set(s.seriesNumber, (numbers.get(s.seriesNumber) ?? 0) + 1);
    for (const i of s.instances) byInstance.set(i.id, { description, seriesNumber: s.seriesNumber, instance: i.instanceNumber });
  }
  const keyImageDoc = {
    key_images: data.keyImages.map((k, index) => {
      const ref = byInstance.get(k.instanceId);
      const where = `${slug}/key-images.yaml: key image ${index + 1}`;
      if (!ref || ref.instance === null) throw new ExportError("incomplete", `${where} is on an image without an instance number`);
      const rest = { instance: ref.instance, caption: k.caption, annotations: k.annotations };
      if (ref.description !== "" && descriptions.get(ref.description) === 1) return { series: ref.description, ...rest };
      if (ref.seriesNumber !== null && numbers.get(ref.seriesNumber) === 1) return { series_number: ref.seriesNumber, ...rest };
      throw new ExportError("incomplete", `${where} is on a series that neither a unique description nor a unique series number names; describe it in the upload review`);
    }),
  };
  const checkedKeys = keyImagesFileSchema.safeParse(keyImageDoc);
  if (!checkedKeys.success) throw firstIssue(slug, "key-images.yaml", checkedKeys.error);

  // Only this case is listed: importing adds it to these collections and leaves their other members alone.
  const collectionsDoc = data.collections.length
    ? { collections: data.collections.map((col) => ({ slug: col.slug, title: col.title, description: col.description, cases: [slug] })) }
    : undefined;
  if (collectionsDoc) {
    const checkedCollections = collectionsFileSchema.safeParse(collectionsDoc);
    if (!checkedCollections.success) throw firstIssue(slug, "collections.yaml", checkedCollections.error);
  }

  const dicom = data.series.flatMap((s) =>
    s.instances.map((i) => ({ path: `${slug}/dicom/${seriesFolder(s.position)}/${instanceFile(i.sortIndex)}`, storageKey: i.storageKey, size: i.byteSize })),
  );
  return {
    caseId: c.id,
    slug,
    coAuthors: data.coAuthorEmails.length,
    submissionsLeftOut: data.submissionCount,
    caseYaml: YAML.stringify(checkedCase.data, { lineWidth: 0 }),
    keyImagesYaml: YAML.stringify(checkedKeys.data, { lineWidth: 0 }),
    collectionsYaml: collectionsDoc && YAML.stringify(collectionsDoc, { lineWidth: 0 }),
    dicom,
  };
}

/**
 * Loads a case for export on behalf of `editor` (null: the command line, which runs with the installation's
 * own rights) and checks every blob exists, so the zip never starts for a case it cannot finish.
 */
export async function prepareCaseExport(db: Db, storage: BlobStorage, caseId: string, editor: { id: string; role: Role } | null, now = new Date()): Promise<PreparedExport> {
  const data = await getCaseForExport(db, caseId);
  if (!data) throw new ExportError("not-found", "No such case.");
  if (editor) {
    const access = getCaseAccess(data.case, editor, now, await listCoAuthorIds(db, caseId));
    if (!access.canEdit) throw new ExportError("forbidden", "Only the case's authors, co-authors and admins may export it.");
  }
  const held = await countHeldImages(db, caseId);
  // A held image may still show the patient's name: it leaves only once blanked, released or removed.
  if (held > 0) throw new ExportError("incomplete", `${held} ${held === 1 ? "image is" : "images are"} held for review (possible burned-in text): blank or remove ${held === 1 ? "it" : "them"} before exporting`);
  const dicomDescriptions = new Map<string, string>();
  for (const s of data.series) {
    const first = s.instances[0];
    const bytes = first ? await storage.read(first.storageKey) : undefined;
    if (bytes) dicomDescriptions.set(s.id, (parseDicomBytes(new Uint8Array(bytes), { headerOnly: true }).string("x0008103e") ?? "").trim());
  }
  const prepared = bundleDocumentsOf(data, dicomDescriptions);
  for (const entry of prepared.dicom) {
    if (!(await storage.exists(entry.storageKey))) throw new Error(`Stored image ${entry.storageKey} of case ${prepared.slug} is missing`);
  }
  return prepared;
}

/**
 * The bundle as a zip stream: `<slug>/case.yaml`, `<slug>/key-images.yaml`, `<slug>/dicom/sNN/NNNN.dcm` (series
 * in display order, images in slice order, the stored de-identified bytes) and, when the case is in
 * collections, `collections.yaml` beside the folder. Each DICOM file is opened only when the zip reaches it.
 */
export function streamBundleZip(storage: BlobStorage, prepared: PreparedExport): Readable {
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  zip.addBuffer(Buffer.from(prepared.caseYaml), `${prepared.slug}/case.yaml`, { mtime });
  zip.addBuffer(Buffer.from(prepared.keyImagesYaml), `${prepared.slug}/key-images.yaml`, { mtime });
  if (prepared.collectionsYaml) zip.addBuffer(Buffer.from(prepared.collectionsYaml), "collections.yaml", { mtime });
  for (const entry of prepared.dicom) {
    // Level 1: CT pixels still shrink by about half, at a fraction of the default level's CPU.
    zip.addReadStreamLazy(entry.path, { mtime, size: entry.size, compressionLevel: 1 }, (callback) => {
      storage.stream(entry.storageKey).then(
        (blob) => (blob ? callback(null, blob.stream) : callback(new Error(`Stored image ${entry.storageKey} is missing`), undefined as never)),
        (error: unknown) => callback(error, undefined as never),
      );
    });
  }
  zip.end();
  return zip.outputStream as Readable;
}

/** Records who exported which case. */
export async function auditCaseExport(db: Db, actorId: string | null, prepared: PreparedExport, via: "cli" | "web"): Promise<void> {
  await recordAudit(db, {
    actorId,
    action: "case.export",
    entity: "case",
    entityId: prepared.caseId,
    detail: { slug: prepared.slug, instances: prepared.dicom.length, via },
  });
}
