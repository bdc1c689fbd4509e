import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { makeCtSlice } from "./make-dicom";

export const fixtureAnswer = {
  diagnosis: "Paraspinal extramedullary hematopoiesis",
  synonyms: ["extramedullary hematopoiesis", "EMH"],
  partial: ["hematopoietic tissue"],
  reject: ["extramedullary plasmacytoma"],
};

/** Identifiers planted in the fixture's DICOM so tests can prove that none reaches storage. */
export const plantedIdentifiers = ["MRN-PLANTED-4711", "Springfield General", "Dr^Planted^Referrer", "19570312"];

export function fixtureCaseYaml(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    slug,
    title: "Paraspinal extramedullary hematopoiesis, active pattern",
    summary: "Back pain in a young adult",
    status: "published",
    presentation: { age: "30-39", sex: "F", history: "Known thalassemia intermedia. Back pain for three months." },
    modality: ["CT"],
    region: "thorax",
    tags: ["paraspinal", "thalassemia"],
    difficulty: 2,
    schedule: { opens: "-2d", closes: "+5d", reveals: "+6d" },
    findings: "Bilateral paravertebral soft-tissue masses.",
    diagnosis: "Extramedullary hematopoiesis.",
    differential: [{ diagnosis: "Schwannoma", why_less_likely: "Usually single and centred on a foramen." }],
    discussion: "Synthetic illustration.",
    learning_points: ["Think of EMH in thalassemia."],
    confirmation: "Imaging in the right clinical setting.",
    references: ["Tsitouridis J, et al. Eur J Radiol. 1999;30(1):33-38."],
    answer: fixtureAnswer,
    ...overrides,
  };
}

/**
 * Writes a small but real case bundle (two CT series of three dcmjs-written slices each, out of order on disk,
 * with identifiers planted) into a new temporary folder named after the slug, and returns that folder.
 */
export async function writeFixtureBundle(slug: string, options: { caseYaml?: unknown; keyImages?: unknown; seriesDescription?: string; seriesFolders?: boolean } = {}) {
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), "casebook-fixture-"));
  const dir = path.join(parent, slug);
  await fs.mkdir(path.join(dir, "dicom"), { recursive: true });
  await fs.writeFile(path.join(dir, "case.yaml"), typeof options.caseYaml === "string" ? options.caseYaml : YAML.stringify(options.caseYaml ?? fixtureCaseYaml(slug)));
  await fs.writeFile(
    path.join(dir, "key-images.yaml"),
    YAML.stringify(options.keyImages ?? { key_images: [{ series: "CT AX SOFT TISSUE", instance: 2, caption: "Masses", annotations: [{ type: "arrow", from: [10, 10], to: [30, 30], text: "mass" }] }] }),
  );
  const zs = [0, -10, -5]; // deliberately not in position order
  for (const [seriesIndex, description] of [options.seriesDescription ?? "CT AX SOFT TISSUE", "CT AX BONE"].entries()) {
    for (const [i, z] of zs.entries()) {
      const bytes = makeCtSlice({
        studyUid: "1.2.826.0.1.3680043.8.498.1",
        seriesUid: `1.2.826.0.1.3680043.8.498.1.${seriesIndex + 1}`,
        sopUid: `1.2.826.0.1.3680043.8.498.1.${seriesIndex + 1}.${i + 1}`,
        frameOfReferenceUid: "1.2.826.0.1.3680043.8.498.9",
        seriesDescription: description,
        seriesNumber: seriesIndex + 1,
        instanceNumber: i + 1,
        z,
        extra: {
          PatientID: plantedIdentifiers[0],
          InstitutionName: plantedIdentifiers[1],
          ReferringPhysicianName: plantedIdentifiers[2],
          PatientBirthDate: plantedIdentifiers[3],
        },
      });
      // `seriesFolders`: one folder per series, as an export writes them (dicom/s01/...).
      const folder = options.seriesFolders ? path.join(dir, "dicom", `s0${seriesIndex + 1}`) : path.join(dir, "dicom");
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(path.join(folder, `s${seriesIndex + 1}-${i + 1}.dcm`), bytes);
    }
  }
  return dir;
}
