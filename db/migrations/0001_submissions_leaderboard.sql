CREATE TABLE "leaderboard_rows" (
	"snapshot_key" text NOT NULL,
	"kind" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"position" integer NOT NULL,
	"points" double precision NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"active_members" integer DEFAULT 0 NOT NULL,
	"group_points" double precision DEFAULT 0 NOT NULL,
	"member_points" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "leaderboard_rows_snapshot_key_kind_owner_id_pk" PRIMARY KEY("snapshot_key","kind","owner_id")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_snapshots" (
	"key" text PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leaderboard_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verdict_overrides" (
	"case_id" uuid NOT NULL,
	"answer_group" text NOT NULL,
	"verdict" "verdict" NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verdict_overrides_case_id_answer_group_pk" PRIMARY KEY("case_id","answer_group")
);
--> statement-breakpoint
ALTER TABLE "leaderboard_rows" ADD CONSTRAINT "leaderboard_rows_snapshot_key_leaderboard_snapshots_key_fk" FOREIGN KEY ("snapshot_key") REFERENCES "public"."leaderboard_snapshots"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdict_overrides" ADD CONSTRAINT "verdict_overrides_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdict_overrides" ADD CONSTRAINT "verdict_overrides_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leaderboard_rows_position_idx" ON "leaderboard_rows" USING btree ("snapshot_key","kind","position");--> statement-breakpoint
CREATE INDEX "submissions_case_mode_group_idx" ON "submissions" USING btree ("case_id","mode","answer_group");--> statement-breakpoint
CREATE INDEX "submissions_mode_submitted_idx" ON "submissions" USING btree ("mode","submitted_at");