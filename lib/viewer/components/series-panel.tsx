"use client";

import cornerstone from "cornerstone-core";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { afterFirstImage, countLoaded, getLoadVersion, isAbortError, subscribeLoads } from "../image-loader";
import type { StackEntry } from "../stack";
import type { KeyImage, ViewerSeries } from "../types";
import styles from "./viewer.module.css";
import { SERIES_DRAG_TYPE } from "./viewport";

type Props = {
  series: ViewerSeries[];
  stacks: Map<string, StackEntry[]>;
  shownSeriesIds: string[];
  onSelect: (seriesId: string) => void;
  keyImages: KeyImage[];
  onSelectKeyImage: (key: KeyImage) => void;
  /** In the case editor: moves key image `index` one place up (-1) or down (1). */
  onMoveKeyImage?: (index: number, delta: -1 | 1) => void;
};

/** Series list with thumbnails and a load progress bar; click or drag a series into a viewport. */
export function SeriesPanel({ series, stacks, shownSeriesIds, onSelect, keyImages, onSelectKeyImage, onMoveKeyImage }: Props) {
  useSyncExternalStore(subscribeLoads, getLoadVersion, () => 0);
  return (
    <nav className={styles.panel} aria-label="Series">
      {series.map((s) => {
        const stack = stacks.get(s.id) ?? [];
        const loaded = countLoaded(stack.map((e) => e.imageId));
        const pct = stack.length ? Math.round((loaded / stack.length) * 100) : 0;
        return (
          <button
            key={s.id}
            type="button"
            className={`${styles.thumb} ${shownSeriesIds.includes(s.id) ? styles.thumbShown : ""}`}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(SERIES_DRAG_TYPE, s.id);
              e.dataTransfer.effectAllowed = "copy";
            }}
            onClick={() => onSelect(s.id)}
            aria-label={`Show series ${s.description || s.id} (${stack.length} images) in the active viewport`}
            title="Click to show in the active viewport, or drag onto a viewport"
            data-series-id={s.id}
          >
            <Thumbnail series={s} stack={stack} />
            <div className={styles.thumbTitle}>{s.description || "(no description)"}</div>
            <div className={styles.thumbMeta}>
              {s.modality}
              {s.seriesNumber !== null ? ` · Se ${s.seriesNumber}` : ""} · {stack.length} im
            </div>
            <div
              className={styles.progress}
              role="progressbar"
              aria-label={`Loaded images of ${s.description || s.id}`}
              aria-valuemin={0}
              aria-valuemax={stack.length}
              aria-valuenow={loaded}
              data-loaded={loaded}
            >
              <div className={styles.progressBar} style={{ width: `${pct}%` }} />
            </div>
          </button>
        );
      })}
      {keyImages.length > 0 && (
        <section aria-label="Key images">
          <div className={styles.panelHeading}>Key images</div>
          {keyImages.map((k, i) => {
            const s = series.find((x) => x.id === k.seriesId);
            const stack = stacks.get(k.seriesId) ?? [];
            const index = stack.findIndex((e) => e.instance.id === k.instanceId);
            const link = (
              <button
                key={`${k.seriesId}/${k.instanceId}/${i}`}
                type="button"
                className={`${styles.button} ${styles.keyLink}`}
                onClick={() => onSelectKeyImage(k)}
                title="Show this key image in the active viewport"
                data-testid="key-image-link"
              >
                ★ {k.caption || `${s?.description ?? "Series"}, image ${index + 1}`}
              </button>
            );
            if (!onMoveKeyImage) return link;
            return (
              <div key={`${k.seriesId}/${k.instanceId}/${i}`} className={styles.keyRow}>
                {link}
                <span className={styles.keyMoves}>
                  <button type="button" className={styles.button} aria-label={`Move key image ${i + 1} up`} title="Move up (residents see key images in this order)" disabled={i === 0} onClick={() => onMoveKeyImage(i, -1)}>
                    ↑
                  </button>
                  <button type="button" className={styles.button} aria-label={`Move key image ${i + 1} down`} title="Move down (residents see key images in this order)" disabled={i === keyImages.length - 1} onClick={() => onMoveKeyImage(i, 1)}>
                    ↓
                  </button>
                </span>
              </div>
            );
          })}
        </section>
      )}
    </nav>
  );
}

function Thumbnail({ series, stack }: { series: ViewerSeries; stack: StackEntry[] }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const middle = stack[Math.floor(stack.length / 2)];
  // The server's preview is requested once the first picture is on screen, like the drawn thumbnails.
  const [showPreview, setShowPreview] = useState(false);
  useEffect(() => {
    if (!series.thumbnailUrl) return;
    let cancelled = false;
    void afterFirstImage().then(() => !cancelled && setShowPreview(true));
    return () => {
      cancelled = true;
    };
  }, [series.thumbnailUrl]);
  useEffect(() => {
    if (series.thumbnailUrl || !middle) return;
    let cancelled = false;
    // After the first picture is on screen; priority 5 puts it before far prefetches.
    // The same image may be a viewport's prefetch, cancelled when that viewport changes series:
    // then ask again (a few times) rather than leave the thumbnail blank.
    const load = async () => {
      await afterFirstImage();
      for (let attempt = 0; attempt < 4 && !cancelled; attempt++) {
        try {
          const image = await cornerstone.loadAndCacheImage(middle.imageId, { priority: 5 });
          const canvas = canvasRef.current;
          if (!cancelled && canvas) cornerstone.renderToCanvas(canvas, image);
          return;
        } catch (error) {
          // The viewport shows the reason when the image is opened; a blank thumbnail is enough here.
          if (!isAbortError(error)) return;
        }
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, [series.thumbnailUrl, middle]);
  if (series.thumbnailUrl) {
    return showPreview ? <img className={styles.thumbImage} src={series.thumbnailUrl} alt="" draggable={false} /> : <div className={styles.thumbImage} aria-hidden="true" />;
  }
  return <canvas ref={canvasRef} className={styles.thumbImage} width={112} height={112} aria-hidden="true" />;
}
