DROP INDEX "submissions_user_idx";--> statement-breakpoint
DROP INDEX "submissions_group_idx";--> statement-breakpoint
DROP INDEX "submissions_user_case_mode_key";--> statement-breakpoint
DROP INDEX "submissions_group_case_mode_key";--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_user_case_mode_key" ON "submissions" USING btree ("user_id","case_id","mode") WHERE "submissions"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_group_case_mode_key" ON "submissions" USING btree ("group_id","case_id","mode") WHERE "submissions"."group_id" is not null;