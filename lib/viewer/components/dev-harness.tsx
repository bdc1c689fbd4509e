"use client";

import { useEffect, useState } from "react";
import type { z } from "zod";
import { measurementListSchema, windowPresetListSchema } from "../schemas";
import type { CaseViewerProps, Measurement, WindowPreset } from "../types";
import { CaseViewer } from "./case-viewer";

const MEASUREMENTS_KEY = "casebook-lab-measurements";
const PRESETS_KEY = "casebook-lab-presets";

function read<S extends z.ZodType>(key: string, schema: S): z.infer<S> | undefined {
  try {
    const text = localStorage.getItem(key);
    const parsed = text ? schema.safeParse(JSON.parse(text)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  } catch {
    return undefined; // unreadable storage: start empty
  }
}

/**
 * DEV-ONLY (used by app/lab/viewer): stands in for the lead's server persistence with
 * localStorage, so the callbacks and the restore path can be tried by reloading the page.
 * The counters are data attributes for ad-hoc browser checks.
 */
export function ViewerDevHarness(props: Omit<CaseViewerProps, "initialMeasurements" | "userPresets">) {
  const [stored, setStored] = useState<{ m: Measurement[]; p: WindowPreset[] } | null>(null);
  const [emitted, setEmitted] = useState({ measurements: 0, presets: 0 });
  useEffect(() => {
    setStored({ m: read(MEASUREMENTS_KEY, measurementListSchema) ?? [], p: read(PRESETS_KEY, windowPresetListSchema) ?? [] });
  }, []);
  if (!stored) return null;
  return (
    <div style={{ height: "100%" }} data-emitted-measurements={emitted.measurements} data-emitted-presets={emitted.presets}>
      <CaseViewer
        {...props}
        initialMeasurements={stored.m}
        userPresets={stored.p}
        onMeasurementsChange={(m) => {
          localStorage.setItem(MEASUREMENTS_KEY, JSON.stringify(m));
          setEmitted((e) => ({ ...e, measurements: m.length }));
        }}
        onUserPresetsChange={(p) => {
          localStorage.setItem(PRESETS_KEY, JSON.stringify(p));
          setEmitted((e) => ({ ...e, presets: p.length }));
        }}
      />
    </div>
  );
}
