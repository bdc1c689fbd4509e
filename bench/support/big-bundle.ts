// The viewer bench's case: one 300-slice 512x512 16-bit CT series (about 150 MB), written by dcmjs.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { makeCtSlice } from "../../tests/support/make-dicom";

export const BIG_CASE_SLUG = "bench-viewer-ct300";
export const BIG_SERIES = "CT BENCH 300";
export const BIG_SLICES = 300;
const ROOT = "1.2.826.0.1.3680043.8.498.78";

/** Writes the bench bundle into `parent/<slug>` and returns `parent` (a folder for CASEBOOK_EXTRA_CASES). */
export function writeBigBundle(parent: string, slices = BIG_SLICES): string {
  const dir = path.join(parent, BIG_CASE_SLUG);
  fs.mkdirSync(path.join(dir, "dicom"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "case.yaml"),
    YAML.stringify({
      slug: BIG_CASE_SLUG,
      title: "Viewer bench volume",
      summary: "A synthetic 300-slice CT volume for the viewer benchmark",
      status: "published",
      presentation: { age: "40-49", sex: "U", history: "Synthetic volume for the viewer benchmark." },
      modality: ["CT"],
      region: "thorax",
      tags: ["phantom"],
      difficulty: 1,
      schedule: { opens: "-1d", closes: "+5d", reveals: "+6d" },
      findings: "Phantom.",
      diagnosis: "Phantom.",
      differential: [],
      discussion: "Synthetic.",
      learning_points: ["Synthetic."],
      confirmation: "Synthetic.",
      references: [],
      answer: { diagnosis: "Phantom", synonyms: [], partial: [], reject: [] },
    }),
  );
  for (let i = 0; i < slices; i++) {
    const bytes = makeCtSlice({
      studyUid: `${ROOT}.1`,
      seriesUid: `${ROOT}.1.1`,
      sopUid: `${ROOT}.1.1.${i + 1}`,
      frameOfReferenceUid: `${ROOT}.9`,
      seriesDescription: BIG_SERIES,
      seriesNumber: 1,
      instanceNumber: i + 1,
      z: -i * 1.25,
      size: 512,
    });
    fs.writeFileSync(path.join(dir, "dicom", `ct-${String(i + 1).padStart(3, "0")}.dcm`), bytes);
  }
  return parent;
}
