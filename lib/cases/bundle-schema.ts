import { z } from "zod";
import { answerKeySchema } from "@/lib/grading/answer-key";
import { seriesDescriptionSchema } from "./series-description";

/**
 * A schedule moment: an ISO-8601 timestamp with zone ("2026-12-01T12:00:00Z") or an offset from the import
 * time ("-30d", "+7d", "+36h", "-90m"), so bundled demo cases always have a useful schedule.
 */
export const scheduleMomentSchema = z.union([
  z.string().regex(/^[+-]\d+(?:\.\d+)?[dhm]$/, "use an ISO-8601 timestamp or an offset like -30d, +7d, +36h"),
  z.iso.datetime({ offset: true, message: "use an ISO-8601 timestamp with a time zone, e.g. 2026-12-01T12:00:00Z" }),
  z.date(),
]);
export type ScheduleMoment = z.infer<typeof scheduleMomentSchema>;

const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** Resolves a schedule moment against the import time. */
export function resolveMoment(moment: ScheduleMoment, now: Date): Date {
  if (moment instanceof Date) return moment;
  const relative = /^([+-]\d+(?:\.\d+)?)([dhm])$/.exec(moment);
  if (relative) return new Date(now.getTime() + Number(relative[1]) * unitMs[relative[2] as keyof typeof unitMs]);
  return new Date(moment);
}

const markdown = z.string().trim();
const slugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case letters, digits and dashes");

const emailSchema = z.string().trim().toLowerCase().pipe(z.email("use an e-mail address"));

/** A name the educator gave a series, for the series whose files are in `dicom/<folder>/`. */
const seriesNameSchema = z.object({
  folder: z.string().regex(/^[A-Za-z0-9._-]+$/, "name a folder directly under dicom/, e.g. s01"),
  description: z.union([z.literal(""), seriesDescriptionSchema]),
});

export const ageBuckets = ["<1", "1-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"] as const;

export const caseFileSchema = z
  .object({
    slug: slugSchema,
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().max(160).default(""),
    status: z.enum(["published", "draft"]).default("draft"),
    presentation: z.object({
      age: z.enum(ageBuckets),
      sex: z.enum(["F", "M", "O", "U"]),
      history: markdown.min(1),
    }),
    modality: z.array(z.string().trim().min(1).max(10)).min(1),
    region: z.string().trim().min(1).max(40),
    tags: z.array(z.string().trim().min(1).max(40)).default([]),
    difficulty: z.number().int().min(1).max(5),
    schedule: z
      .object({ opens: scheduleMomentSchema, closes: scheduleMomentSchema, reveals: scheduleMomentSchema })
      .partial()
      .default({}),
    findings: markdown.default(""),
    diagnosis: markdown.default(""),
    differential: z
      .array(z.object({ diagnosis: z.string().trim().min(1), why_less_likely: z.string().trim().min(1) }))
      .default([]),
    discussion: markdown.default(""),
    learning_points: z.array(z.string().trim().min(1)).default([]),
    confirmation: markdown.default(""),
    references: z.array(z.string().trim().min(1)).default([]),
    reveal_tags: z.array(z.string().trim().min(1).max(40)).default([]),
    answer: answerKeySchema,
    /** Who wrote the case and who it is shared with, by e-mail: matched to accounts on the importing instance. */
    author: emailSchema.optional(),
    co_authors: z.array(emailSchema).max(100).default([]),
    /** Series names written in Casebook (the DICOM files keep their own SeriesDescription). */
    series: z.array(seriesNameSchema).max(500).default([]),
  })
  .superRefine((c, ctx) => {
    const folders = new Set<string>();
    for (const [i, s] of c.series.entries()) {
      if (folders.has(s.folder)) ctx.addIssue({ code: "custom", path: ["series", i, "folder"], message: `folder ${s.folder} is named twice` });
      folders.add(s.folder);
    }
    const { opens, closes, reveals } = c.schedule;
    const now = new Date();
    const order = [opens, closes, reveals].map((m) => (m === undefined ? undefined : resolveMoment(m, now).getTime()));
    const [o, cl, r] = order;
    if (o !== undefined && cl !== undefined && cl <= o) ctx.addIssue({ code: "custom", path: ["schedule", "closes"], message: "closes must be after opens" });
    if (cl !== undefined && r !== undefined && r < cl) ctx.addIssue({ code: "custom", path: ["schedule", "reveals"], message: "reveals must not be before closes" });
  });
export type CaseFile = z.infer<typeof caseFileSchema>;

const point = z.tuple([z.number(), z.number()]);
export const annotationSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("arrow"), from: point, to: point, text: z.string().max(200).optional() }),
  z.object({ type: z.literal("ellipse"), center: point, radius: z.tuple([z.number().positive(), z.number().positive()]), text: z.string().max(200).optional() }),
  z.object({ type: z.literal("text"), at: point, text: z.string().min(1).max(200) }),
]);

export const keyImagesFileSchema = z.object({
  key_images: z
    .array(
      z
        .object({
          /** The SeriesDescription of the image's series... */
          series: z.string().trim().min(1).optional(),
          /** ...or, for series without a (unique) description, such as uploads whose descriptions were removed, its SeriesNumber. */
          series_number: z.number().int().optional(),
          instance: z.number().int().min(0),
          caption: z.string().trim().default(""),
          annotations: z.array(annotationSchema).default([]),
        })
        .refine((k) => (k.series === undefined) !== (k.series_number === undefined), { message: "name the series by exactly one of series (its description) or series_number", path: ["series"] }),
    )
    .default([]),
});
export type KeyImagesFile = z.infer<typeof keyImagesFileSchema>;

export const collectionsFileSchema = z.object({
  collections: z.array(
    z.object({
      slug: slugSchema,
      title: z.string().trim().min(1).max(200),
      description: markdown.default(""),
      cases: z.array(slugSchema).min(1),
    }),
  ),
});
export type CollectionsFile = z.infer<typeof collectionsFileSchema>;
