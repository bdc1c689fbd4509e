import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";

// Pins the text of the nine bundled teaching cases to the shared cases spec
// (/work/notes/cases-spec.md): schedule table, series names, answer-key shape, and above all
// that nothing shown before the reveal gives the answer away.

const casesDir = fileURLToPath(new URL("../../../cases", import.meta.url));

/** What the spec fixes for each case, plus the words its public fields must never contain. */
interface CaseSpec {
  region: "thorax" | "thoracic-spine" | "abdomen" | "lower-limb";
  modality: ("CT" | "MR")[];
  series: string[];
  schedule: { opens: string; closes: string; reveals: string };
  /** Whole words/phrases (case-insensitive) forbidden in summary, history, tags, modality, region. */
  forbiddenPublic: string[];
}

// Spelling family of the EMH answer; forbidden wherever EMH is (part of) the answer.
const EMH_WORDS = [
  "hematopoiesis",
  "haematopoiesis",
  "hemopoiesis",
  "haemopoiesis",
  "hematopoietic",
  "haematopoietic",
  "hemopoietic",
  "haemopoietic",
  "extramedullary",
  "EMH",
  "heterotopia",
  "heterotopic",
];

const SPEC: Record<string, CaseSpec> = {
  "emh-thalassemia-active": {
    region: "thorax",
    modality: ["CT", "MR"],
    series: ["CT AX SOFT TISSUE", "MR AX T1", "MR AX T2", "MR AX T1 FS POST GD"],
    schedule: { opens: "-60d", closes: "-40d", reveals: "-38d" },
    forbiddenPublic: EMH_WORDS,
  },
  "emh-thalassemia-fatty": {
    region: "thorax",
    modality: ["CT", "MR"],
    series: ["CT AX SOFT TISSUE", "MR AX T1", "MR AX T2", "MR AX STIR"],
    schedule: { opens: "-45d", closes: "-25d", reveals: "-24d" },
    forbiddenPublic: EMH_WORDS,
  },
  "emh-thalassemia-iron": {
    region: "thorax",
    modality: ["CT", "MR"],
    series: ["CT AX SOFT TISSUE", "MR AX T1", "MR AX T2", "MR AX T1 FS POST GD"],
    schedule: { opens: "-30d", closes: "-12d", reveals: "-10d" },
    forbiddenPublic: EMH_WORDS,
  },
  "emh-thalassemia-mixed": {
    region: "thorax",
    modality: ["CT", "MR"],
    series: ["CT AX SOFT TISSUE", "MR AX T1", "MR AX T2", "MR AX STIR"],
    schedule: { opens: "-5d", closes: "+9d", reveals: "+10d" },
    forbiddenPublic: EMH_WORDS,
  },
  "emh-epidural-thoracic": {
    region: "thoracic-spine",
    modality: ["CT", "MR"],
    series: ["MR SAG T1", "MR SAG T2", "MR AX T2", "MR SAG T1 FS POST GD", "CT AX SOFT TISSUE"],
    schedule: { opens: "-3d", closes: "+11d", reveals: "+12d" },
    // The compartment is half of this answer, so it may not be named before the reveal either.
    forbiddenPublic: [...EMH_WORDS, "epidural", "extradural", "intraspinal"],
  },
  "emh-sclerosing-myelofibrosis": {
    region: "abdomen",
    modality: ["CT"],
    series: ["CT AX NON CONTRAST", "CT AX PORTAL VENOUS"],
    schedule: { opens: "-90d", closes: "-70d", reveals: "-68d" },
    // "myelofibrosis" is the known underlying disease and may be named; "sclerosing" is the answer.
    forbiddenPublic: [...EMH_WORDS, "sclerosing", "sclerotic", "SEMHT"],
  },
  "plasmacytoma-leg": {
    region: "lower-limb",
    modality: ["MR"],
    series: ["MR AX T1", "MR AX T2 FS", "MR AX T1 FS POST GD", "MR COR T1"],
    schedule: { opens: "-1d", closes: "+13d", reveals: "+14d" },
    // No plasma-cell disease is known in this patient, so myeloma may not be hinted at either.
    forbiddenPublic: [
      "plasmacytoma",
      "plasmocytoma",
      "plasma cell",
      "plasma-cell",
      "myeloma",
      "extramedullary",
      "EMP",
      "paraprotein",
      "monoclonal",
      "light chain",
      "light-chain",
    ],
  },
  "myeloma-extramedullary-paraspinal": {
    region: "thorax",
    modality: ["CT", "MR"],
    series: ["CT AX SOFT TISSUE", "MR AX T1", "MR AX T2", "MR AX T1 FS POST GD"],
    schedule: { opens: "-20d", closes: "-1d", reveals: "+2d" },
    // "myeloma" is allowed: the patient has KNOWN myeloma. The answer is the extramedullary mass.
    forbiddenPublic: [
      "extramedullary",
      "EMD",
      "plasmacytoma",
      "plasmocytoma",
      "paraskeletal",
      "paraosseous",
      "extraosseous",
    ],
  },
  "lipoma-intradural-thoracic": {
    region: "thoracic-spine",
    modality: ["CT", "MR"],
    series: ["MR SAG T1", "MR SAG T2", "MR SAG T1 FS", "MR AX T1", "CT AX SOFT TISSUE"],
    schedule: { opens: "+7d", closes: "+21d", reveals: "+22d" },
    forbiddenPublic: ["lipoma", "lipomatous", "intradural", "fat", "fatty", "adipose", "juxtamedullary", "subpial"],
  },
};

const markdown = z.string().trim().min(1);
const relativeOrIso = z.string().regex(/^(?:[+-]\d+[dhm]|\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/);

const caseSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1).max(120),
  presentation: z.object({
    age: z.string().regex(/^\d{1,2}-\d{1,3}$/),
    sex: z.enum(["F", "M"]),
    history: markdown,
  }),
  modality: z.array(z.enum(["CT", "MR"])).min(1),
  region: z.enum(["thorax", "thoracic-spine", "abdomen", "lower-limb"]),
  tags: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)).min(1),
  difficulty: z.number().int().min(1).max(5),
  schedule: z.object({ opens: relativeOrIso, closes: relativeOrIso, reveals: relativeOrIso }),
  status: z.enum(["published", "draft"]),
  findings: markdown,
  diagnosis: markdown,
  differential: z
    .array(z.object({ diagnosis: z.string().trim().min(1), why_less_likely: z.string().trim().min(20) }))
    .min(4),
  discussion: markdown,
  learning_points: z.array(z.string().trim().min(1)).min(3),
  confirmation: markdown,
  references: z.array(z.string().trim().min(1)).min(1),
  reveal_tags: z.array(z.string().min(1)).min(1),
  answer: z.object({
    diagnosis: z.string().trim().min(1),
    synonyms: z.array(z.string().trim().min(1)).min(3),
    partial: z.array(z.string().trim().min(1)).min(1),
    reject: z.array(z.string().trim().min(1)).min(2),
  }),
});
type CaseText = z.infer<typeof caseSchema>;

const collectionsSchema = z.object({
  collections: z
    .array(
      z.object({
        slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
        title: z.string().trim().min(1),
        description: markdown,
        cases: z.array(z.string()).min(1),
      }),
    )
    .min(3),
});

/** Lower-case, punctuation to spaces, single-spaced: how answers compare in this test. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** True when `phrase` occurs in `text` as whole words (case-insensitive, punctuation-blind). */
function containsPhrase(text: string, phrase: string): boolean {
  return ` ${normalise(text)} `.includes(` ${normalise(phrase)} `);
}

function loadCase(slug: string): CaseText {
  const raw: unknown = parse(readFileSync(join(casesDir, slug, "case.yaml"), "utf8"));
  return caseSchema.parse(raw);
}

function hiddenWordCount(c: CaseText): number {
  const parts = [
    c.findings,
    c.diagnosis,
    c.discussion,
    c.confirmation,
    ...c.learning_points,
    ...c.differential.flatMap((d) => [d.diagnosis, d.why_less_likely]),
  ];
  return parts.join(" ").split(/\s+/).filter(Boolean).length;
}

describe("bundled case folders", () => {
  it("holds a case.yaml for exactly the nine slugs of the spec", () => {
    const withCaseFile = readdirSync(casesDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(casesDir, e.name, "case.yaml")))
      .map((e) => e.name)
      .sort();
    expect(withCaseFile).toEqual(Object.keys(SPEC).sort());
  });
});

describe.each(Object.entries(SPEC))("case %s", (slug, spec) => {
  // Loaded inside each test so that a schema violation fails tests instead of the whole suite.
  const load = (): CaseText => loadCase(slug);

  it("parses with all required fields and has the slug of its folder", () => {
    const raw: unknown = parse(readFileSync(join(casesDir, slug, "case.yaml"), "utf8"));
    const result = caseSchema.safeParse(raw);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data?.slug).toBe(slug);
  });

  it("follows the spec's schedule, region and modality", () => {
    const c = load();
    expect(c.schedule).toEqual(spec.schedule);
    expect(c.region).toBe(spec.region);
    expect([...c.modality].sort()).toEqual([...spec.modality].sort());
    expect(c.status).toBe("published");
  });

  it("does not give the answer away in its public fields", () => {
    const c = load();
    const publicFields: [string, string][] = [
      ["summary", c.summary],
      ["presentation.history", c.presentation.history],
      ["tags", c.tags.join(" ")],
      ["modality", c.modality.join(" ")],
      ["region", c.region],
    ];
    const leaks = publicFields.flatMap(([field, text]) =>
      spec.forbiddenPublic.filter((word) => containsPhrase(text, word)).map((word) => `${field}: ${word}`),
    );
    expect(leaks).toEqual([]);
    // The answer itself and every fully correct synonym of two or more words must be absent too.
    const phrases = [c.answer.diagnosis, ...c.answer.synonyms].filter((s) => normalise(s).includes(" "));
    const phraseLeaks = publicFields.flatMap(([field, text]) =>
      phrases.filter((p) => containsPhrase(text, p)).map((p) => `${field}: ${p}`),
    );
    expect(phraseLeaks).toEqual([]);
  });

  it("tells the reader before the reveal that the images are synthetic illustrations", () => {
    const c = load();
    expect(c.presentation.history).toMatch(/synthetic illustrations?/i);
  });

  it("describes findings on every series of the case by its SeriesDescription", () => {
    const c = load();
    const missing = spec.series.filter((s) => !c.findings.includes(s));
    expect(missing).toEqual([]);
  });

  it("has an answer key with enough synonyms, partials and near misses that never overlap", () => {
    const c = load();
    const { diagnosis, synonyms, partial, reject } = c.answer;
    expect(synonyms.length).toBeGreaterThanOrEqual(3);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(reject.length).toBeGreaterThanOrEqual(2);
    const full = new Set([diagnosis, ...synonyms].map(normalise));
    const part = new Set(partial.map(normalise));
    const rej = new Set(reject.map(normalise));
    expect(full.size).toBe(synonyms.length + 1);
    expect([...part].filter((p) => full.has(p))).toEqual([]);
    expect([...rej].filter((r) => full.has(r) || part.has(r))).toEqual([]);
  });

  it("gives a differential of at least four entries, each with a reason", () => {
    const c = load();
    expect(c.differential.length).toBeGreaterThanOrEqual(4);
    for (const d of c.differential) expect(d.why_less_likely.split(/\s+/).length).toBeGreaterThan(8);
  });

  it("is a substantial but readable teaching file with Vancouver-style references", () => {
    const c = load();
    const words = hiddenWordCount(c);
    expect(words).toBeGreaterThanOrEqual(600);
    expect(words).toBeLessThanOrEqual(1300);
    expect(c.learning_points.length).toBeGreaterThanOrEqual(3);
    // Vancouver: "Authors. Title. Journal. Year;Volume(Issue):pages."
    for (const r of c.references) expect(r).toMatch(/\. (?:19|20)\d{2};\d+\(\d+\):[\dA-Za-z-]+\./);
  });
});

describe("answer keys of the extramedullary look-alikes", () => {
  it("never accept extramedullary plasmacytoma as paraspinal haematopoiesis (CASES.md)", () => {
    for (const slug of ["emh-thalassemia-active", "emh-thalassemia-fatty", "emh-thalassemia-iron", "emh-thalassemia-mixed"]) {
      const c = loadCase(slug);
      expect(c.answer.diagnosis).toBe("Paraspinal extramedullary hematopoiesis");
      expect(c.answer.reject.map(normalise)).toContain("extramedullary plasmacytoma");
      expect(c.answer.synonyms.map(normalise)).toEqual(expect.arrayContaining(["extramedullary haematopoiesis", "emh"]));
    }
  });

  it("keep haematopoiesis and plasma-cell tumours apart in cases 7 and 8", () => {
    for (const slug of ["plasmacytoma-leg", "myeloma-extramedullary-paraspinal"]) {
      expect(loadCase(slug).answer.reject.map(normalise)).toContain("extramedullary hematopoiesis");
    }
    expect(loadCase("myeloma-extramedullary-paraspinal").answer.partial.map(normalise)).toContain("plasmacytoma");
    expect(loadCase("lipoma-intradural-thoracic").answer.reject.map(normalise)).toEqual(
      expect.arrayContaining(["epidural lipomatosis", "lipomyelomeningocele", "dermoid"]),
    );
  });
});

describe("collections.yaml", () => {
  const { collections } = collectionsSchema.parse(parse(readFileSync(join(casesDir, "collections.yaml"), "utf8")));

  it("starts with the four-pattern collection in the order active, fatty, iron, mixed", () => {
    const first = collections[0];
    expect(first?.slug).toBe("thalassemia-paraspinal-masses");
    expect(first?.title).toBe("Paraspinal masses in thalassemia: four CT/MRI patterns");
    expect(first?.cases).toEqual([
      "emh-thalassemia-active",
      "emh-thalassemia-fatty",
      "emh-thalassemia-iron",
      "emh-thalassemia-mixed",
    ]);
  });

  it("has the spinal-canal and whole-library collections, naming only existing cases", () => {
    const bySlug = new Map(collections.map((col) => [col.slug, col]));
    expect([...(bySlug.get("spinal-canal-masses")?.cases ?? [])].sort()).toEqual(
      ["emh-epidural-thoracic", "lipoma-intradural-thoracic", "myeloma-extramedullary-paraspinal"].sort(),
    );
    expect(bySlug.get("whole-library")?.cases.length).toBeGreaterThanOrEqual(3);
    for (const col of collections) for (const slug of col.cases) expect(Object.keys(SPEC)).toContain(slug);
  });

  it("describes collections without naming a member case's answer", () => {
    const leaks = collections.flatMap((col) =>
      col.cases.flatMap((slug) => {
        const { diagnosis, synonyms } = loadCase(slug).answer;
        return [diagnosis, ...synonyms]
          .filter((answer) => containsPhrase(col.description, answer))
          .map((answer) => `${col.slug}: ${answer}`);
      }),
    );
    expect(leaks).toEqual([]);
  });
});
