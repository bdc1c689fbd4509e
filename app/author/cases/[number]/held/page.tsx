import type { Metadata } from "next";
import Link from "next/link";
import { loadEditableCasePage } from "../_lib/load-editable-case-page";
import { listHeldImages } from "@/db/queries/held-images";
import { documentOf } from "@/lib/cases/editor";
import { HeldImages } from "./_components/held-image-tool";
import styles from "./held.module.css";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Held images · case ${number.slice(0, 8)}` };
}

/**
 * Images of a case held for review because they may show burned-in identifying text. The educator blanks
 * rectangles over the text, removes the image, or releases it after checking; the case cannot be published before.
 */
export default async function HeldImagesPage({ params }: Props) {
  const { number } = await params;
  const { db, caseId, loaded } = await loadEditableCasePage(number, "/held");
  const c = loaded.case;
  const held = await listHeldImages(db, caseId);
  return (
    <main className={`page ${styles.page}`}>
      <div className={styles.head}>
        <h1>
          Held images · Case {c.number}
          <span className="muted"> · {documentOf(loaded).title || "Untitled"}</span>
        </h1>
        <nav className={styles.links} aria-label="Case views">
          <Link href={`/author/cases/${c.number}`} className="btn">
            Back to the editor
          </Link>
        </nav>
      </div>
      <HeldImages
        caseId={caseId}
        images={held.map((h) => ({
          id: h.id,
          reason: h.reason ?? "",
          rows: h.rows,
          columns: h.columns,
          frames: h.frames,
          label: `${h.modality} · ${h.seriesDescription || `series ${h.seriesNumber ?? ""}`.trim()}${h.instanceNumber !== null ? ` · image ${h.instanceNumber}` : ""}`,
        }))}
      />
    </main>
  );
}
