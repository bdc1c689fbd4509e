-- Leaderboard snapshots are keyed by a fingerprint that includes leaderboard_state.version. Writes that change a
-- ranking without changing the set of revealed cases bump it here, whoever makes them: group memberships
-- (group scores and active members) and deleted entries (a deleted resident or a re-imported case).
CREATE FUNCTION "leaderboard_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "leaderboard_state" ("id", "version") VALUES (1, 1)
  ON CONFLICT ("id") DO UPDATE SET "version" = "leaderboard_state"."version" + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "group_memberships_bump_leaderboard" AFTER INSERT OR UPDATE OR DELETE ON "group_memberships"
  FOR EACH STATEMENT EXECUTE FUNCTION "leaderboard_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "submissions_delete_bump_leaderboard" AFTER DELETE ON "submissions"
  FOR EACH STATEMENT EXECUTE FUNCTION "leaderboard_bump_version"();
