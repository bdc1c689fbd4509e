-- The submit path's write, one round trip (lib/submissions/submit.ts, db/queries/submissions.ts saveEntry).
--
-- submission_context_version fingerprints what the submit path decides from (the case row, its answer key and its
-- co-authors): xmin changes with every new version of a row, whoever writes it. The server may keep a case's
-- context between submits; submission_save writes only if the fingerprint still matches, so a context that
-- changed since it was read (closed, rescheduled, new key) is never acted on.
CREATE FUNCTION "submission_context_version"("p_case_id" uuid) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT c.xmin::text
      || '/' || coalesce((SELECT k.xmin::text FROM "answer_keys" k WHERE k."case_id" = c."id"), '-')
      || '/' || coalesce((SELECT string_agg(a."user_id"::text, ',' ORDER BY a."user_id") FROM "case_authors" a WHERE a."case_id" = c."id"), '')
    FROM "cases" c WHERE c."id" = p_case_id
  );
END
$$;
--> statement-breakpoint
-- Creates or edits the one entry of a resident (p_user_id) or group (p_group_id) for a case and mode, with its
-- revision and audit line, in one transaction. Status: 'saved', 'unchanged' (the same differential again: nothing
-- written, the stored entry returned), 'stale' (the case's context changed: nothing written) or 'not-member' (a
-- group entry by someone outside the group). An educator's standing verdict for the answer group wins over the
-- grader's (p_scores: the points of correct, partial and incorrect; review has none). The partial unique indexes arbitrate
-- concurrent writers: a second insert of the same owner becomes an edit.
CREATE FUNCTION "submission_save"(
  "p_case_id" uuid, "p_context_version" text, "p_user_id" uuid, "p_group_id" uuid, "p_mode" "submission_mode",
  "p_answers" text[], "p_verdict" "verdict", "p_score" real, "p_scores" real[], "p_answer_group" text,
  "p_actor_id" uuid, "p_now" timestamptz,
  OUT "status" text, OUT "entry_id" uuid, OUT "created" boolean, OUT "entry_verdict" "verdict", OUT "entry_score" real,
  OUT "entry_answers" text[], OUT "entry_submitted_at" timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
  standing "verdict";
BEGIN
  IF "submission_context_version"(p_case_id) IS DISTINCT FROM p_context_version THEN
    status := 'stale';
    RETURN;
  END IF;
  IF p_group_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "group_memberships" m WHERE m."group_id" = p_group_id AND m."user_id" = p_actor_id
  ) THEN
    status := 'not-member';
    RETURN;
  END IF;
  SELECT o."verdict" INTO standing FROM "verdict_overrides" o WHERE o."case_id" = p_case_id AND o."answer_group" = p_answer_group;
  -- Two spellings of one upsert: ON CONFLICT DO UPDATE names one arbiter index, and dynamic SQL would be planned
  -- on every call.
  IF p_user_id IS NOT NULL THEN
    INSERT INTO "submissions" AS s ("case_id", "user_id", "mode", "answers", "verdict", "score", "answer_group", "overridden", "last_edited_by", "submitted_at", "updated_at")
    VALUES (p_case_id, p_user_id, p_mode, p_answers, coalesce(standing, p_verdict),
            CASE WHEN standing IS NULL THEN p_score ELSE p_scores[array_position(ARRAY['correct', 'partial', 'incorrect']::"verdict"[], standing)] END,
            p_answer_group, standing IS NOT NULL, p_actor_id, p_now, p_now)
    ON CONFLICT ("user_id", "case_id", "mode") WHERE "user_id" IS NOT NULL DO UPDATE SET
      "answers" = excluded."answers", "verdict" = excluded."verdict", "score" = excluded."score",
      "answer_group" = excluded."answer_group", "overridden" = excluded."overridden",
      "last_edited_by" = excluded."last_edited_by", "submitted_at" = excluded."submitted_at", "updated_at" = excluded."updated_at"
    WHERE s."answers" IS DISTINCT FROM excluded."answers"
    RETURNING s."id", (s.xmax = 0), s."verdict", s."score", s."answers", s."submitted_at"
    INTO entry_id, created, entry_verdict, entry_score, entry_answers, entry_submitted_at;
  ELSE
    INSERT INTO "submissions" AS s ("case_id", "group_id", "mode", "answers", "verdict", "score", "answer_group", "overridden", "last_edited_by", "submitted_at", "updated_at")
    VALUES (p_case_id, p_group_id, p_mode, p_answers, coalesce(standing, p_verdict),
            CASE WHEN standing IS NULL THEN p_score ELSE p_scores[array_position(ARRAY['correct', 'partial', 'incorrect']::"verdict"[], standing)] END,
            p_answer_group, standing IS NOT NULL, p_actor_id, p_now, p_now)
    ON CONFLICT ("group_id", "case_id", "mode") WHERE "group_id" IS NOT NULL DO UPDATE SET
      "answers" = excluded."answers", "verdict" = excluded."verdict", "score" = excluded."score",
      "answer_group" = excluded."answer_group", "overridden" = excluded."overridden",
      "last_edited_by" = excluded."last_edited_by", "submitted_at" = excluded."submitted_at", "updated_at" = excluded."updated_at"
    WHERE s."answers" IS DISTINCT FROM excluded."answers"
    RETURNING s."id", (s.xmax = 0), s."verdict", s."score", s."answers", s."submitted_at"
    INTO entry_id, created, entry_verdict, entry_score, entry_answers, entry_submitted_at;
  END IF;
  IF entry_id IS NULL THEN
    status := 'unchanged';
    created := false;
    IF p_user_id IS NOT NULL THEN
      SELECT s."id", s."verdict", s."score", s."answers", s."submitted_at"
        INTO entry_id, entry_verdict, entry_score, entry_answers, entry_submitted_at
        FROM "submissions" s WHERE s."user_id" = p_user_id AND s."case_id" = p_case_id AND s."mode" = p_mode;
    ELSE
      SELECT s."id", s."verdict", s."score", s."answers", s."submitted_at"
        INTO entry_id, entry_verdict, entry_score, entry_answers, entry_submitted_at
        FROM "submissions" s WHERE s."group_id" = p_group_id AND s."case_id" = p_case_id AND s."mode" = p_mode;
    END IF;
    RETURN;
  END IF;
  status := 'saved';
  INSERT INTO "submission_revisions" ("submission_id", "answers", "edited_by", "at") VALUES (entry_id, p_answers, p_actor_id, p_now);
  INSERT INTO "audit_log" ("actor_id", "action", "entity", "entity_id", "detail")
  VALUES (p_actor_id, CASE WHEN created THEN 'submission.create' ELSE 'submission.edit' END, 'submission', entry_id::text,
          jsonb_build_object('caseId', p_case_id, 'mode', p_mode, 'groupId', p_group_id, 'answers', to_jsonb(p_answers)));
END
$$;
