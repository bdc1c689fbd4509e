import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["resident", "educator", "admin"]);
export const caseStatusEnum = pgEnum("case_status", ["draft", "published"]);
export const groupKindEnum = pgEnum("group_kind", ["program", "team"]);
export const verdictEnum = pgEnum("verdict", ["correct", "partial", "incorrect", "review"]);
export const submissionModeEnum = pgEnum("submission_mode", ["competition", "practice"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    pseudonym: text("pseudonym"),
    role: roleEnum("role").notNull().default("resident"),
    /** argon2id; null for accounts that only sign in through OpenID Connect. */
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const residentGroups = pgTable(
  "resident_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    kind: groupKindEnum("kind").notNull().default("program"),
    inviteCode: text("invite_code").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("resident_groups_slug_key").on(t.slug), uniqueIndex("resident_groups_invite_key").on(t.inviteCode)],
);

export const groupMemberships = pgTable(
  "group_memberships",
  {
    groupId: uuid("group_id").notNull().references(() => residentGroups.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_memberships_user_idx").on(t.userId)],
);

/**
 * The public face of a case: what a resident may see while it is open. Everything that gives the answer
 * away lives in case_content, answer_keys and key_images, which resident-facing queries never join.
 */
export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    /** Sequential display number ("Case 12"), the only label a resident sees before the reveal. */
    number: integer("number").notNull(),
    status: caseStatusEnum("status").notNull().default("draft"),
    opensAt: timestamp("opens_at", { withTimezone: true }),
    closesAt: timestamp("closes_at", { withTimezone: true }),
    revealsAt: timestamp("reveals_at", { withTimezone: true }),
    /** Manual close / reveal by an educator, ahead of the schedule. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    revealedAt: timestamp("revealed_at", { withTimezone: true }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    summary: text("summary").notNull().default(""),
    history: text("history").notNull().default(""),
    ageBucket: text("age_bucket"),
    sex: text("sex"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    modalities: text("modalities").array().notNull().default(sql`'{}'::text[]`),
    bodyRegion: text("body_region"),
    difficulty: smallint("difficulty"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("cases_slug_key").on(t.slug), uniqueIndex("cases_number_key").on(t.number)],
);

export type Reference = string;
export type DifferentialEntry = { diagnosis: string; whyLessLikely: string };

/** The teaching text that is hidden until the reveal. */
export const caseContent = pgTable("case_content", {
  caseId: uuid("case_id")
    .primaryKey()
    .references(() => cases.id, { onDelete: "cascade" }),
  title: text("title").notNull(),
  findings: text("findings").notNull().default(""),
  diagnosis: text("diagnosis").notNull().default(""),
  differential: jsonb("differential").$type<DifferentialEntry[]>().notNull().default([]),
  discussion: text("discussion").notNull().default(""),
  learningPoints: jsonb("learning_points").$type<string[]>().notNull().default([]),
  confirmation: text("confirmation").notNull().default(""),
  references: jsonb("references").$type<Reference[]>().notNull().default([]),
  revealTags: text("reveal_tags").array().notNull().default(sql`'{}'::text[]`),
  updatedAt: updatedAt(),
});

/** Answer keys: their own table, read only by grading and by authors. */
export const answerKeys = pgTable("answer_keys", {
  caseId: uuid("case_id")
    .primaryKey()
    .references(() => cases.id, { onDelete: "cascade" }),
  diagnosis: text("diagnosis").notNull(),
  synonyms: text("synonyms").array().notNull().default(sql`'{}'::text[]`),
  partial: text("partial").array().notNull().default(sql`'{}'::text[]`),
  reject: text("reject").array().notNull().default(sql`'{}'::text[]`),
  updatedAt: updatedAt(),
});

export const caseAuthors = pgTable(
  "case_authors",
  {
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.userId] })],
);

export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("collections_slug_key").on(t.slug)],
);

export const collectionCases = pgTable(
  "collection_cases",
  {
    collectionId: uuid("collection_id").notNull().references(() => collections.id, { onDelete: "cascade" }),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.caseId] }), index("collection_cases_case_idx").on(t.caseId)],
);

export const studies = pgTable(
  "studies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    studyInstanceUid: text("study_instance_uid").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("studies_uid_key").on(t.caseId, t.studyInstanceUid)],
);

export const series = pgTable(
  "series",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    studyId: uuid("study_id").notNull().references(() => studies.id, { onDelete: "cascade" }),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    seriesInstanceUid: text("series_instance_uid").notNull(),
    frameOfReferenceUid: text("frame_of_reference_uid"),
    modality: text("modality").notNull(),
    description: text("description").notNull().default(""),
    seriesNumber: integer("series_number"),
    position: integer("position").notNull().default(0),
    instanceCount: integer("instance_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("series_uid_key").on(t.caseId, t.seriesInstanceUid), index("series_case_idx").on(t.caseId)],
);

export const instances = pgTable(
  "instances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seriesId: uuid("series_id").notNull().references(() => series.id, { onDelete: "cascade" }),
    sopInstanceUid: text("sop_instance_uid").notNull(),
    sopClassUid: text("sop_class_uid").notNull(),
    storageKey: text("storage_key").notNull(),
    /** SHA-256 of the stored bytes: the ETag. */
    sha256: text("sha256").notNull(),
    byteSize: integer("byte_size").notNull(),
    instanceNumber: integer("instance_number"),
    /** Order within the series after sorting by position along the slice normal. */
    sortIndex: integer("sort_index").notNull(),
    imagePosition: doublePrecision("image_position").array(),
    imageOrientation: doublePrecision("image_orientation").array(),
    sliceLocation: doublePrecision("slice_location"),
    sliceThickness: doublePrecision("slice_thickness"),
    pixelSpacing: doublePrecision("pixel_spacing").array(),
    rows: integer("rows").notNull(),
    columns: integer("columns").notNull(),
    frames: integer("frames").notNull().default(1),
    transferSyntaxUid: text("transfer_syntax_uid").notNull(),
    windowCenter: real("window_center"),
    windowWidth: real("window_width"),
    /**
     * Why the pixels may show burned-in identifying text (BurnedInAnnotation YES, ultrasound, screen capture...):
     * while set, the image is held for review, served only to staff, and its case cannot be published.
     */
    burnedInHold: text("burned_in_hold"),
    /**
     * For an image derived in Casebook (burned-in text blanked: a new instance with its own UID), the UID of the
     * instance it was made from, so uploading that original again is still recognised as a duplicate.
     */
    sourceSopInstanceUid: text("source_sop_instance_uid"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("instances_series_sop_key").on(t.seriesId, t.sopInstanceUid),
    index("instances_series_sort_idx").on(t.seriesId, t.sortIndex),
  ],
);

export type AnnotationShape =
  | { type: "arrow"; from: [number, number]; to: [number, number]; text?: string }
  | { type: "ellipse"; center: [number, number]; radius: [number, number]; text?: string }
  | { type: "text"; at: [number, number]; text: string };

/** Key images and their annotations: part of the reveal, hidden like the answer. */
export const keyImages = pgTable(
  "key_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    instanceId: uuid("instance_id").notNull().references(() => instances.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
    caption: text("caption").notNull().default(""),
    annotations: jsonb("annotations").$type<AnnotationShape[]>().notNull().default([]),
  },
  (t) => [index("key_images_case_idx").on(t.caseId)],
);

/**
 * The entry that counts: one per resident (or per group) per case and mode. Every edit is also kept in
 * submission_revisions.
 */
export const submissions = pgTable(
  "submissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    groupId: uuid("group_id").references(() => residentGroups.id, { onDelete: "cascade" }),
    mode: submissionModeEnum("mode").notNull().default("competition"),
    /** Ranked differential, most likely first (1 to 3 entries). */
    answers: text("answers").array().notNull(),
    verdict: verdictEnum("verdict"),
    score: real("score"),
    /** Normalised form of the most likely answer, used to group identical answers. */
    answerGroup: text("answer_group"),
    overridden: boolean("overridden").notNull().default(false),
    lastEditedBy: uuid("last_edited_by").references(() => users.id, { onDelete: "set null" }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Owner first: these also serve every lookup by resident or group (the panel, streaks, the cascades when a
    // user or group is deleted), so an edit, which touches every index, has no separate user and group indexes
    // to update. Lookups by case use submissions_case_mode_group_idx.
    uniqueIndex("submissions_user_case_mode_key").on(t.userId, t.caseId, t.mode).where(sql`${t.userId} is not null`),
    uniqueIndex("submissions_group_case_mode_key").on(t.groupId, t.caseId, t.mode).where(sql`${t.groupId} is not null`),
    // Review queue, answer-group chart and adjudication read one case's answers by group.
    index("submissions_case_mode_group_idx").on(t.caseId, t.mode, t.answerGroup),
    // Monthly and academic-year leaderboards scan a window of competition entries.
    index("submissions_mode_submitted_idx").on(t.mode, t.submittedAt),
  ],
);

/**
 * An educator's verdict for one normalised answer of a case. Kept apart from the submissions so that an answer
 * submitted after the adjudication (while the case is still open, or in practice) gets the same verdict.
 */
export const verdictOverrides = pgTable(
  "verdict_overrides",
  {
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    answerGroup: text("answer_group").notNull(),
    verdict: verdictEnum("verdict").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.answerGroup] })],
);

/**
 * Leaderboard snapshots: the full ranking of one period, computed from the submissions in one SQL statement and
 * reused until its fingerprint changes. Scores only count on revealed cases, and entries cannot change after the
 * reveal except by adjudication, so a ranking changes only when the set of revealed cases changes, an override
 * lands, memberships change or entries are deleted; the last three bump leaderboard_state.version (overrides in
 * code, the others by trigger, migration 0002). The key fingerprints all of these; see db/queries/leaderboard.ts.
 */
export const leaderboardState = pgTable("leaderboard_state", {
  id: smallint("id").primaryKey().default(1),
  version: integer("version").notNull().default(0),
});

export const leaderboardSnapshots = pgTable("leaderboard_snapshots", {
  key: text("key").primaryKey(),
  period: text("period").notNull(),
  builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
});

export const leaderboardRows = pgTable(
  "leaderboard_rows",
  {
    snapshotKey: text("snapshot_key").notNull().references(() => leaderboardSnapshots.key, { onDelete: "cascade" }),
    /** "user" or "group" (ranked), or "case" (a revealed case; position = its place in case order, for streaks). */
    kind: text("kind").notNull(),
    ownerId: uuid("owner_id").notNull(),
    /** Shared by ties ("1, 1, 3"). */
    rank: integer("rank").notNull(),
    /** Display order (rank, then more correct answers, then id): pages read ranges of it through an index. */
    position: integer("position").notNull(),
    points: doublePrecision("points").notNull(),
    correct: integer("correct").notNull().default(0),
    partial: integer("partial").notNull().default(0),
    answered: integer("answered").notNull().default(0),
    members: integer("members").notNull().default(0),
    activeMembers: integer("active_members").notNull().default(0),
    groupPoints: doublePrecision("group_points").notNull().default(0),
    memberPoints: doublePrecision("member_points").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.snapshotKey, t.kind, t.ownerId] }), index("leaderboard_rows_position_idx").on(t.snapshotKey, t.kind, t.position)],
);

export const submissionRevisions = pgTable(
  "submission_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    submissionId: uuid("submission_id").notNull().references(() => submissions.id, { onDelete: "cascade" }),
    answers: text("answers").array().notNull(),
    editedBy: uuid("edited_by").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("submission_revisions_submission_idx").on(t.submissionId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId), index("audit_log_at_idx").on(t.at)],
);

export type User = typeof users.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
export type CaseRow = typeof cases.$inferSelect;
export type CaseContentRow = typeof caseContent.$inferSelect;
export type AnswerKeyRow = typeof answerKeys.$inferSelect;
export type SeriesRow = typeof series.$inferSelect;
export type InstanceRow = typeof instances.$inferSelect;
export type KeyImageRow = typeof keyImages.$inferSelect;
export type SubmissionRow = typeof submissions.$inferSelect;
export type SubmissionMode = (typeof submissionModeEnum.enumValues)[number];
export type VerdictValue = (typeof verdictEnum.enumValues)[number];

/** Installation-wide values that every app instance must share (the de-identification UID salt, say). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

/** A user's measurements on a case, kept for their next visit (the viewer sends the whole set). */
export const viewerStates = pgTable(
  "viewer_states",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    caseId: uuid("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    measurements: jsonb("measurements").$type<import("@/lib/viewer/types").Measurement[]>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.caseId] })],
);

/** Per-user viewer preferences that apply to every case (own window presets). */
export const userPreferences = pgTable("user_preferences", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  windowPresets: jsonb("window_presets").$type<import("@/lib/viewer/types").WindowPreset[]>().notNull().default([]),
  updatedAt: updatedAt(),
});
