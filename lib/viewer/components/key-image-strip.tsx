"use client";

import { annotationAnchor, annotationKind, withText } from "../annotations";
import { shortcutFor } from "../hotkeys";
import type { KeyImage } from "../types";
import type { ImageTarget } from "./viewport";
import styles from "./viewer.module.css";

export type KeyImageSaveState =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "failed"; message: string };

type Props = {
  target: ImageTarget | null;
  keyImage: KeyImage | undefined;
  keyImageCount: number;
  selected: number | null;
  onSelect: (index: number | null) => void;
  /** `debounce`: a keystroke, saved when typing pauses. */
  onChange: (change: (k: KeyImage | undefined) => KeyImage | null, debounce?: boolean) => void;
  onToggle: () => void;
  save: KeyImageSaveState;
  toolHint: string | null;
};

function saveText(save: KeyImageSaveState): string {
  switch (save.kind) {
    case "idle":
      return "";
    case "pending":
      return "Unsaved changes…";
    case "saving":
      return "Saving…";
    case "saved":
      return `Saved at ${save.at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })}`;
    case "failed":
      return `Not saved: ${save.message}`;
  }
}

/** "120, 88": where a shape is, in whole image pixels, for the list and its labels. */
function positionText(a: Parameters<typeof annotationAnchor>[0]): string {
  const [x, y] = annotationAnchor(a);
  return `${Math.round(x)}, ${Math.round(y)}`;
}

/**
 * The case editor's key-image strip under the viewport: mark the image shown as a key image, caption it, and list,
 * select, relabel and delete the annotations drawn on it. Every control is a labelled form control; a selected
 * shape moves with the arrow keys, and its entry says where it is.
 */
export function KeyImageStrip({ target, keyImage, keyImageCount, selected, onSelect, onChange, onToggle, save, toolHint }: Props) {
  const status = (
    <span className={`${styles.stripStatus} ${save.kind === "failed" ? styles.stripFailed : ""}`} role="status" aria-live="polite" data-testid="key-image-status">
      {saveText(save)}
    </span>
  );
  if (!target) {
    return (
      <section className={styles.strip} aria-label="Key image" data-testid="key-image-editor" data-key-image="false">
        <span className={styles.stripMuted}>Waiting for an image…</span>
        {status}
      </section>
    );
  }
  return (
    <section className={styles.strip} aria-label="Key image" data-testid="key-image-editor" data-key-image={keyImage ? "true" : "false"} data-annotation-count={keyImage?.annotations.length ?? 0}>
      <button type="button" className={styles.button} aria-pressed={!!keyImage} onClick={onToggle} title={`Mark or unmark this image as a key image (${shortcutFor("toggleKeyImage")})`}>
        {keyImage ? "★ Key image" : "☆ Mark as key image"}
      </button>
      {keyImage ? (
        <>
          <input
            className={`${styles.input} ${styles.stripCaption}`}
            value={keyImage.caption ?? ""}
            maxLength={300}
            placeholder="Caption, shown after the reveal"
            aria-label="Key image caption"
            onChange={(e) => {
              const caption = e.target.value;
              onChange((k) => (k ? { ...k, caption } : null), true);
            }}
          />
          <ol className={styles.stripList} aria-label="Annotations on this image">
            {keyImage.annotations.map((a, i) => (
              <li key={i} className={`${styles.stripItem} ${selected === i ? styles.stripSelected : ""}`} data-testid="annotation-item" data-annotation-type={a.type}>
                <button
                  type="button"
                  className={styles.button}
                  aria-pressed={selected === i}
                  aria-label={`Select annotation ${i + 1}: ${annotationKind(a)} at ${positionText(a)}`}
                  title={`Select, then move with the arrow keys (Shift: 10 px); ${shortcutFor("selectNextShape")} selects the next shape`}
                  data-annotation-select={i}
                  onClick={() => onSelect(selected === i ? null : i)}
                >
                  {i + 1}. {annotationKind(a)} <span className={styles.stripPosition} data-testid="annotation-position">{positionText(a)}</span>
                </button>
                <input
                  className={styles.input}
                  value={a.text ?? ""}
                  maxLength={200}
                  placeholder={a.type === "text" ? "Label text" : "Optional label"}
                  aria-label={`Annotation ${i + 1} text`}
                  aria-invalid={a.type === "text" && !a.text.trim() ? true : undefined}
                  data-annotation-text={i}
                  onFocus={() => onSelect(i)}
                  onChange={(e) => {
                    const text = e.target.value;
                    onChange((k) => (k ? { ...k, annotations: k.annotations.map((x, j) => (j === i ? withText(x, text) : x)) } : null), true);
                  }}
                />
                <button
                  type="button"
                  className={styles.button}
                  aria-label={`Delete annotation ${i + 1}`}
                  title={`Delete annotation ${i + 1}`}
                  onClick={() => {
                    onSelect(null);
                    onChange((k) => (k ? { ...k, annotations: k.annotations.filter((_, j) => j !== i) } : null));
                  }}
                >
                  ✕
                </button>
              </li>
            ))}
          </ol>
          {selected !== null && keyImage.annotations[selected] ? (
            <span className={styles.stripMuted} data-testid="shape-keys-hint">
              Annotation {selected + 1} selected: arrow keys move it (Shift: 10 px), Delete removes it, Esc deselects.
            </span>
          ) : null}
          {keyImage.annotations.length === 0 ? (
            <span className={styles.stripMuted}>{toolHint ? `${toolHint}: draw on the image, or press Enter to place one at its centre.` : "Choose Arrow, Oval or Text above to annotate."}</span>
          ) : null}
        </>
      ) : (
        <span className={styles.stripMuted}>
          {keyImageCount === 0 ? "No key images yet." : `${keyImageCount} key image${keyImageCount === 1 ? "" : "s"} in this case.`} Drawing an annotation marks the image too. Residents see key images only after the reveal.
        </span>
      )}
      {status}
    </section>
  );
}
