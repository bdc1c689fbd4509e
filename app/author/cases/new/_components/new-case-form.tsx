"use client";

import { useActionState, useState } from "react";
import { createCaseAction, type NewCaseState } from "../../actions";

/** Title and, optionally, slug of a new draft: a blank slug is made from the title on the server. */
export function NewCaseForm() {
  const [state, action, pending] = useActionState<NewCaseState, FormData>(createCaseAction, {});
  const [title, setTitle] = useState(state.title ?? "");
  const [slug, setSlug] = useState(state.slug ?? "");
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="card">
      {errors["(form)"] ? (
        <p className="form-error" role="alert">
          {errors["(form)"].join("; ")}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="new-title">Title (the diagnosis)</label>
        <input
          id="new-title"
          name="title"
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        {errors.title?.map((m) => <span key={m} className="field-error">{m}</span>)}
      </div>
      <div className="field">
        <label htmlFor="new-slug">Slug (optional)</label>
        <input
          id="new-slug"
          name="slug"
          maxLength={80}
          value={slug}
          placeholder="made from the title"
          onChange={(e) => setSlug(e.target.value)}
        />
        <span className="muted md-hint">Lower-case words and dashes. Left blank, it is made from the title (with a number appended if taken); you can change it in the editor.</span>
        {errors.slug?.map((m) => <span key={m} className="field-error">{m}</span>)}
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        Create draft
      </button>
    </form>
  );
}
