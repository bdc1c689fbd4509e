"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition, type PointerEvent } from "react";
import type { BlankRect } from "@/lib/dicom/blank-regions";
import { blankImageAction, releaseImageAction, removeImageAction } from "../actions";
import styles from "../held.module.css";

export type HeldImageView = { id: string; reason: string; rows: number; columns: number; frames: number; label: string };

type Point = { x: number; y: number };

const rectsParam = (rects: readonly BlankRect[]) => rects.map((r) => `${r.x},${r.y},${r.width},${r.height}`).join(";");

/** The rectangle between two points in image pixels, whole pixels covering both ends. */
function rectBetween(a: Point, b: Point): BlankRect {
  const x = Math.floor(Math.min(a.x, b.x));
  const y = Math.floor(Math.min(a.y, b.y));
  return { x, y, width: Math.max(1, Math.ceil(Math.max(a.x, b.x)) - x), height: Math.max(1, Math.ceil(Math.max(a.y, b.y)) - y) };
}

/**
 * The rectangle-blanking tool: the held images of a case in a strip, the selected one rendered by the server,
 * rectangles drawn over it with the mouse (or a finger), a server-rendered preview of the blanked result, and the
 * three ways out: apply the blanking, remove the image, or release it as free of text.
 */
type Message = { kind: "ok" | "error"; text: string } | null;

/**
 * The held images of a case, or the all-clear once none is left. The last outcome is kept here, above the tool, so
 * "Blanked 2 rectangles…" stays on screen after the refresh that removes the last held image.
 */
export function HeldImages({ caseId, images }: { caseId: string; images: HeldImageView[] }) {
  const [message, setMessage] = useState<Message>(null);
  if (images.length > 0) return <HeldImageTool caseId={caseId} images={images} message={message} setMessage={setMessage} />;
  return (
    <>
      <p className={styles.clear} data-testid="held-none">
        No image of this case is held for review. It can be published once it is complete.
      </p>
      {message ? <OutcomeMessage message={message} /> : null}
    </>
  );
}

function OutcomeMessage({ message }: { message: NonNullable<Message> }) {
  return (
    <p role={message.kind === "error" ? "alert" : "status"} className={message.kind === "error" ? styles.error : styles.ok}>
      {message.text}
    </p>
  );
}

function HeldImageTool({ caseId, images, message, setMessage }: { caseId: string; images: HeldImageView[]; message: Message; setMessage: (m: Message) => void }) {
  const router = useRouter();
  const [selectedId, setSelectedId] = useState(images[0]?.id);
  const image = images.find((i) => i.id === selectedId) ?? images[0]!;
  const [rectsById, setRectsById] = useState<Record<string, BlankRect[]>>({});
  const rects = rectsById[image.id] ?? [];
  const [draft, setDraft] = useState<{ from: Point; to: Point } | null>(null);
  const [frame, setFrame] = useState(0);
  const [previewing, setPreviewing] = useState(false);
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const stage = useRef<HTMLDivElement>(null);

  const shownFrame = Math.min(frame, image.frames - 1);
  const src = `/api/instances/${image.id}/blank-preview?frame=${shownFrame}${previewing && rects.length ? `&rects=${rectsParam(rects)}` : ""}`;
  const setRects = (next: BlankRect[]) => setRectsById((all) => ({ ...all, [image.id]: next }));

  const toImage = (e: PointerEvent): Point => {
    const box = stage.current!.getBoundingClientRect();
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
    return { x: clamp(((e.clientX - box.left) / box.width) * image.columns, image.columns), y: clamp(((e.clientY - box.top) / box.height) * image.rows, image.rows) };
  };
  const onPointerDown = (e: PointerEvent) => {
    if (previewing || e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = toImage(e);
    setDraft({ from: p, to: p });
  };
  const onPointerMove = (e: PointerEvent) => {
    if (draft) setDraft({ ...draft, to: toImage(e) });
  };
  const onPointerUp = (e: PointerEvent) => {
    if (!draft) return;
    const r = rectBetween(draft.from, toImage(e));
    setDraft(null);
    // A click without a drag is not a rectangle.
    if (Math.abs(draft.from.x - draft.to.x) < 0.5 && Math.abs(draft.from.y - draft.to.y) < 0.5) return;
    if (r.x + r.width <= image.columns && r.y + r.height <= image.rows) setRects([...rects, r]);
    setMessage(null);
  };

  const select = (id: string) => {
    setSelectedId(id);
    setFrame(0);
    setPreviewing(false);
    setMessage(null);
  };
  const after = (what: string) => (result: Awaited<ReturnType<typeof blankImageAction>>) => {
    if (result.ok) {
      setMessage({ kind: "ok", text: what });
      setRectsById((all) => ({ ...all, [image.id]: [] }));
      setPreviewing(false);
      setSelectedId(images.find((i) => i.id !== image.id)?.id);
      router.refresh();
    } else {
      setMessage({ kind: "error", text: result.reason === "invalid" ? Object.values(result.fieldErrors).flat().join(" ") : "You may not edit this case." });
    }
  };
  const apply = () =>
    startTransition(async () => after(`Blanked ${rects.length} ${rects.length === 1 ? "rectangle" : "rectangles"} in ${image.frames === 1 ? "the image" : `all ${image.frames} frames`}; the hold is released.`)(await blankImageAction(caseId, image.id, rects)));
  const remove = () => {
    if (!window.confirm("Remove this image from the case? Its file is deleted.")) return;
    startTransition(async () => after("The image was removed from the case.")(await removeImageAction(caseId, image.id)));
  };
  const release = () => {
    if (!window.confirm("Release this image unchanged? Only if no frame shows names, dates, IDs or institution text.")) return;
    startTransition(async () => after("Released unchanged.")(await releaseImageAction(caseId, image.id)));
  };

  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  const boxStyle = (r: BlankRect) => ({ left: pct(r.x, image.columns), top: pct(r.y, image.rows), width: pct(r.width, image.columns), height: pct(r.height, image.rows) });

  return (
    <div className={styles.tool}>
      <aside className={styles.strip} aria-label="Held images">
        <p className={styles.count}>
          {images.length} {images.length === 1 ? "image" : "images"} held · the case cannot be published until each is blanked, removed or released
        </p>
        <ul>
          {images.map((i) => (
            <li key={i.id}>
              <button type="button" className={`${styles.thumb} ${i.id === image.id ? styles.current : ""}`} onClick={() => select(i.id)} aria-current={i.id === image.id}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={`/api/instances/${i.id}/blank-preview`} alt="" />
                <span>
                  {i.label}
                  <small>
                    {i.columns}×{i.rows}
                    {i.frames > 1 ? ` · ${i.frames} frames` : ""}
                    {(rectsById[i.id]?.length ?? 0) > 0 ? ` · ${rectsById[i.id]!.length} drawn` : ""}
                  </small>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>

      <section className={styles.work}>
        <p className={styles.reason}>
          <strong>Held because:</strong> {image.reason}
        </p>
        <div className={styles.stageWrap}>
          <div
            ref={stage}
            className={`${styles.stage} ${previewing ? styles.previewing : ""}`}
            style={{ aspectRatio: `${image.columns} / ${image.rows}`, width: `min(100%, calc(68vh * ${image.columns / image.rows}))` }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            data-testid="held-stage"
            data-loaded={loadedSrc === src ? "true" : "false"}
            data-previewing={previewing ? "true" : "false"}
          >
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={src} alt={`Held image: ${image.label}`} draggable={false} onLoad={() => setLoadedSrc(src)} data-testid="held-image" />
            {!previewing && rects.map((r, n) => <div key={n} className={styles.rect} style={boxStyle(r)} data-testid="held-rect" />)}
            {draft ? <div className={`${styles.rect} ${styles.draft}`} style={boxStyle(rectBetween(draft.from, draft.to))} /> : null}
          </div>
        </div>
        {image.frames > 1 ? (
          <label className={styles.frame}>
            Frame {shownFrame + 1} of {image.frames}
            <input type="range" min={0} max={image.frames - 1} value={shownFrame} onChange={(e) => setFrame(Number(e.target.value))} />
            <span className="muted">Rectangles apply to every frame.</span>
          </label>
        ) : null}
      </section>

      <aside className={styles.side} aria-label="Blanking">
        <h2>Rectangles</h2>
        <p className="muted">Drag over every name, date, ID or institution text. The server fills them with black in {image.frames === 1 ? "the image" : "all frames"}.</p>
        {rects.length === 0 ? (
          <p className="muted" data-testid="held-rects-empty">
            None drawn yet.
          </p>
        ) : (
          <ol className={styles.rectList} data-testid="held-rect-list">
            {rects.map((r, n) => (
              <li key={n}>
                <code>
                  x {r.x} y {r.y} · {r.width}×{r.height}
                </code>
                <button type="button" className="btn-link" onClick={() => setRects(rects.filter((_, k) => k !== n))} aria-label={`Delete rectangle ${n + 1}`}>
                  ✕
                </button>
              </li>
            ))}
          </ol>
        )}
        <div className={styles.actions}>
          <button type="button" className="btn" disabled={rects.length === 0 || pending} onClick={() => setPreviewing(!previewing)} aria-pressed={previewing}>
            {previewing ? "Back to drawing" : "Preview result"}
          </button>
          <button type="button" className="btn btn-primary" disabled={rects.length === 0 || pending} onClick={apply}>
            Apply blanking
          </button>
          <button type="button" className="btn-link" disabled={rects.length === 0 || pending} onClick={() => setRects([])}>
            Clear rectangles
          </button>
        </div>
        <div className={styles.other}>
          <button type="button" className="btn btn-danger" disabled={pending} onClick={remove}>
            Remove from case
          </button>
          <button type="button" className="btn" disabled={pending} onClick={release}>
            No identifying text: release
          </button>
        </div>
        {message ? <OutcomeMessage message={message} /> : null}
      </aside>
    </div>
  );
}
