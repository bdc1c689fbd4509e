// Extra case bundles the e2e server imports next to the bundled cases (via CASEBOOK_EXTRA_CASES): small
// synthetic CT series that the viewer tests need and the bundled cases do not have.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { makeCtSlice } from "../../support/make-dicom";

/** The case that carries the codec twins and the series the malformed-file test corrupts. */
export const CODEC_CASE_SLUG = "viewer-e2e-codecs";

/** Every case slug these extra bundles add to the e2e server (tests counting all cases must add them). */
export const E2E_EXTRA_CASE_SLUGS = [CODEC_CASE_SLUG] as const;

/** Series descriptions in the codec case, in series-number order (the viewer's default viewport order). */
export const CODEC_SERIES = {
  plain: "CT PLAIN",
  jpegLs: "CT JPEG-LS TWIN",
  malformed: "CT TO BE CORRUPTED",
} as const;

export const CODEC_SLICE_SIZE = 128;
const SLICE_ZS = [0, 5, 10, 15, 20];
const ROOT = "1.2.826.0.1.3680043.8.498.77";

function caseYaml(slug: string) {
  return {
    slug,
    title: "Viewer codec check",
    summary: "Synthetic phantom slices for the viewer's end-to-end tests",
    status: "published",
    presentation: { age: "40-49", sex: "U", history: "Synthetic phantom for automated viewer tests." },
    modality: ["CT"],
    region: "thorax",
    tags: ["phantom"],
    difficulty: 1,
    schedule: { opens: "-1d", closes: "+5d", reveals: "+6d" },
    findings: "A disc of soft tissue with a bright spot.",
    diagnosis: "Phantom.",
    differential: [],
    discussion: "Synthetic.",
    learning_points: ["Phantoms are synthetic."],
    confirmation: "Synthetic.",
    references: [],
    answer: { diagnosis: "Phantom", synonyms: [], partial: [], reject: [] },
  };
}

/**
 * Writes the viewer's e2e bundles under `parent` (one folder per case) and returns `parent`:
 * the codec case has an uncompressed CT series, the same pixels re-encoded as JPEG-LS lossless by dcmtk's
 * dcmcjpls under other UIDs and another description, and a third series the malformed-file test corrupts
 * in storage after import (the importer rightly refuses undecodable files, so it cannot be bundled broken).
 */
export function writeViewerE2eBundles(parent: string): string {
  const dir = path.join(parent, CODEC_CASE_SLUG);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "dicom"), { recursive: true });
  fs.writeFileSync(path.join(dir, "case.yaml"), YAML.stringify(caseYaml(CODEC_CASE_SLUG)));
  const series = [
    { description: CODEC_SERIES.plain, number: 1, compress: false },
    { description: CODEC_SERIES.jpegLs, number: 2, compress: true },
    { description: CODEC_SERIES.malformed, number: 3, compress: false },
  ];
  for (const s of series) {
    for (const [i, z] of SLICE_ZS.entries()) {
      const bytes = makeCtSlice({
        studyUid: `${ROOT}.1`,
        seriesUid: `${ROOT}.1.${s.number}`,
        sopUid: `${ROOT}.1.${s.number}.${i + 1}`,
        frameOfReferenceUid: `${ROOT}.9`,
        seriesDescription: s.description,
        seriesNumber: s.number,
        instanceNumber: i + 1,
        z,
        size: CODEC_SLICE_SIZE,
      });
      const file = path.join(dir, "dicom", `s${s.number}-${i + 1}.dcm`);
      fs.writeFileSync(file, bytes);
      if (s.compress) {
        // In place: +ti reads the uncompressed input, the default output is JPEG-LS lossless (1.2.840.10008.1.2.4.80).
        const tmp = `${file}.jls`;
        execFileSync("dcmcjpls", [file, tmp], { stdio: "pipe" });
        fs.renameSync(tmp, file);
      }
    }
  }
  return parent;
}
