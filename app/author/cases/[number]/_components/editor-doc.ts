import type { CaseDocument } from "@/lib/cases/editor";

/**
 * The editor's working copy of a case: like the saved document, but with empty strings for unset choices and
 * list fields kept exactly as typed (blank rows included), so a textarea round-trips what the author typed.
 * The server trims and drops blanks when it saves.
 */
export type EditorDoc = Omit<CaseDocument, "ageBucket" | "sex"> & { ageBucket: string; sex: string };

export function editorDocOf(doc: CaseDocument): EditorDoc {
  return { ...doc, ageBucket: doc.ageBucket ?? "", sex: doc.sex ?? "" };
}

export type CaseMeta = {
  id: string;
  number: number;
  status: "draft" | "published";
  opensAt: string | null;
  closesAt: string | null;
  revealsAt: string | null;
  closedAt: string | null;
  revealedAt: string | null;
  authorName: string | null;
  updatedAt: string;
};

export type CoAuthor = { id: string; name: string; email: string; role: string };

/** "hh:mm" in the reader's time zone. */
export function clockTime(d: Date): string {
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
