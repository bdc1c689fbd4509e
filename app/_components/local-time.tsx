"use client";

import { useEffect, useState } from "react";

function relative(ms: number): string {
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  const text = minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** Runs `callback` when the browser is idle (at the latest after `timeoutMs`); returns the cancel function. */
function whenIdle(callback: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(callback, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(callback, 0);
  return () => clearTimeout(id);
}

/**
 * A UTC moment shown in the reader's own time zone, with a relative countdown. The server renders the UTC
 * form so the first paint is correct everywhere; the browser then localises it when it is idle: the first
 * toLocaleString loads the browser's date formatting data (15-30 ms of main thread on a slow core), which
 * must not delay a page's more urgent work, such as a case's first image.
 */
export function LocalTime({ iso, withRelative = true }: { iso: string; withRelative?: boolean }) {
  const [now, setNow] = useState<number | undefined>(undefined);
  useEffect(() => {
    const cancel = whenIdle(() => setNow(Date.now()), 2000);
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      cancel();
      clearInterval(timer);
    };
  }, []);
  const date = new Date(iso);
  const text =
    now === undefined
      ? `${iso.slice(0, 16).replace("T", " ")} UTC`
      : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <time dateTime={iso} title={iso}>
      {text}
      {withRelative && now !== undefined ? ` (${relative(date.getTime() - now)})` : null}
    </time>
  );
}
