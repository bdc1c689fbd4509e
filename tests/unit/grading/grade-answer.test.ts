import { describe, expect, it } from "vitest";
import type { AnswerKeyInput } from "@/lib/grading/answer-key";
import { gradeAnswer, VERDICT_SCORES } from "@/lib/grading/grade";
import { loadKey, loadLabelled } from "./fixture-keys";

const emh = loadKey("emh-thalassemia-active");
const fattyEmh = loadKey("emh-thalassemia-fatty");
const ironEmh = loadKey("emh-thalassemia-iron");
const plasmacytoma = loadKey("plasmacytoma-leg");
const myeloma = loadKey("myeloma-extramedullary-paraspinal");
const lipoma = loadKey("lipoma-intradural-thoracic");
const epidural = loadKey("emh-epidural-thoracic");

const verdict = (answer: string, key: AnswerKeyInput) => gradeAnswer(answer, key).verdict;

describe("gradeAnswer", () => {
  it("ignores case and punctuation", () => {
    for (const a of ["EXTRAMEDULLARY HEMATOPOIESIS", "extramedullary hematopoiesis.", "Extramedullary hematopoiesis!!", '"extramedullary hematopoiesis"', "e.m.h."]) {
      expect(verdict(a, emh), a).toBe("correct");
    }
  });

  it("accepts inverted word order", () => {
    expect(verdict("hematopoiesis, extramedullary", emh)).toBe("correct");
    expect(verdict("Plasmacytoma, extramedullary", plasmacytoma)).toBe("correct");
    expect(verdict("myeloma, extramedullary", myeloma)).toBe("correct");
    expect(verdict("lipoma, intradural", lipoma)).toBe("correct");
  });

  it("expands abbreviations from the table", () => {
    expect(gradeAnswer("EMH", emh).normalized).toBe("extramedullary hematopoiesis");
    expect(verdict("EH", emh)).toBe("correct");
    expect(verdict("EMD", myeloma)).toBe("correct");
    expect(verdict("EMP", plasmacytoma)).toBe("correct");
    expect(verdict("MM", plasmacytoma)).toBe("partial");
    expect(verdict("IDEM lipoma", lipoma)).toBe("correct");
    expect(verdict("Spinal epidural lipomatosis (SEL)", epidural)).toBe("incorrect");
  });

  it("folds British and variant spellings", () => {
    for (const a of ["extramedullary haematopoiesis", "extramedullary haemopoiesis", "extramedullary hemopoiesis", "extramedullary haematopoietic tissue"]) {
      expect(verdict(a, emh), a).toBe("correct");
    }
    expect(verdict("extramedullary plasmocytoma", plasmacytoma)).toBe("correct");
    expect(verdict("Haematoma", plasmacytoma)).toBe("incorrect");
    expect(gradeAnswer("EMH in thalassaemia, no oedema, tumour", emh).normalized).toBe(
      "extramedullary hematopoiesis in thalassemia no edema tumor",
    );
  });

  it("forgives typos scaled to word length", () => {
    expect(verdict("extramedulary hematopoesis", emh)).toBe("correct"); // 14 and 13 letters: up to 2 edits
    expect(verdict("extramedullary hemtaopoiesis", emh)).toBe("correct"); // transposition
    expect(verdict("intradural lipma", lipoma)).toBe("correct"); // 6 letters: 1 edit
    expect(verdict("intradural lymphoma", lipoma)).toBe("incorrect"); // 3 edits from lipoma: another disease
  });

  it("does not treat a real neighbouring word as a typo", () => {
    expect(verdict("intramedullary lipoma", lipoma)).toBe("partial"); // not "extramedullary": first letters differ
    expect(verdict("inactive EMH", emh)).toBe("partial"); // "inactive" is not a typo of "active"
  });

  it("ignores hedges and explanatory extra words", () => {
    for (const a of [
      "most likely X",
      "X secondary to thalassemia",
      "findings consistent with X",
      "I think X",
      "c/w X in a patient with thalassaemia major",
      "Bilateral lobulated paraspinal masses, likely X",
      "?X",
    ]) {
      const answer = a.replace("X", "extramedullary hematopoiesis");
      expect(verdict(answer, emh), answer).toBe("correct");
    }
  });

  it("does not count negated diagnoses", () => {
    for (const a of ["not EMH", "no EMH", "unlikely EMH", "EMH unlikely", "EMH excluded", "I don't think this is EMH", "neither EMH nor lymphoma"]) {
      expect(verdict(a, emh), a).toBe("incorrect");
    }
    expect(verdict("Not EMH, favour lymphoma", emh)).toBe("incorrect");
    expect(verdict("EMH, not plasmacytoma", emh)).toBe("correct");
    expect(verdict("EMH rather than schwannoma", emh)).toBe("correct");
    expect(verdict("schwannoma rather than EMH", emh)).toBe("incorrect");
    expect(verdict("ruled out EMH", emh)).toBe("incorrect");
    expect(verdict("EMH ruled out", emh)).toBe("incorrect");
  });

  it("keeps the diagnosis when a negation only qualifies it", () => {
    expect(verdict("EMH without cord compression", emh)).toBe("correct");
    expect(verdict("cannot exclude EMH", emh)).toBe("correct");
  });

  it("takes the first named diagnosis in a hedged list as most likely", () => {
    for (const a of ["EMH vs schwannoma", "EMH or lymphoma", "EMH versus metastases", "EMH, neurofibroma", "EMH / lymphoma", "EMH > lymphoma"]) {
      expect(verdict(a, emh), a).toBe("correct");
    }
  });

  it("gives partial credit when the right answer is only lower in the differential", () => {
    for (const a of ["schwannoma vs EMH", "lymphoma or EMH", "metastases versus EMH", "neurofibroma, EMH", "DDx: neurofibroma, lymphoma, EMH"]) {
      expect(verdict(a, emh), a).toBe("partial");
    }
    expect(gradeAnswer("schwannoma vs EMH", emh).matched).toBe("extramedullary hematopoiesis");
  });

  it("follows the writer's ranking words over written order", () => {
    expect(verdict("schwannoma, EMH less likely", emh)).toBe("partial");
    expect(verdict("schwannoma, but favour EMH", emh)).toBe("correct");
    expect(verdict("favour schwannoma over EMH", emh)).toBe("partial");
  });

  it("never accepts a near miss listed in reject, even though it shares words with the answer", () => {
    expect(gradeAnswer("extramedullary plasmacytoma", emh)).toMatchObject({ verdict: "incorrect", matched: "extramedullary plasmacytoma" });
    expect(verdict("Extramedullary hematopoiesis", plasmacytoma)).toBe("incorrect");
    expect(verdict("EMH", myeloma)).toBe("incorrect");
    expect(verdict("epidural lipomatosis", lipoma)).toBe("incorrect");
    expect(verdict("EMH plasmacytoma", emh)).toBe("incorrect"); // equally specific: the near miss wins
  });

  it("does not let a generic word complete a near miss", () => {
    // "disease" belongs to "sickle cell disease"; the reject phrase "extramedullary disease" is weaker evidence.
    expect(verdict("sickle cell disease with EMH", emh)).toBe("correct");
    expect(verdict("extramedullary disease", emh)).toBe("incorrect");
  });

  it("prefers the most specific key phrase, so a wrong imaging pattern earns partial credit", () => {
    expect(gradeAnswer("fatty EMH", fattyEmh)).toMatchObject({ verdict: "correct", matched: "fatty extramedullary hematopoiesis" });
    expect(gradeAnswer("iron-laden EMH", fattyEmh)).toMatchObject({ verdict: "partial", matched: "iron-laden extramedullary hematopoiesis" });
    expect(verdict("EMH with hemosiderin", ironEmh)).toBe("correct");
    expect(verdict("EMH", fattyEmh)).toBe("correct"); // pattern words are optional extras
    expect(verdict("solitary plasmacytoma of bone", plasmacytoma)).toBe("partial");
  });

  it("sends vague and half-matching answers to review", () => {
    for (const a of ["tumor", "paraspinal mass", "soft tissue mass", "fatty paraspinal masses", "extramedullary"]) {
      expect(verdict(a, emh), a).toBe("review");
    }
    expect(verdict("hematopoietic tumour", emh)).toBe("review");
  });

  it("marks as incorrect a different disease that shares only a modifier with the key", () => {
    expect(verdict("extramedullary lymphoma", plasmacytoma)).toBe("incorrect");
    expect(verdict("epidural hematoma", epidural)).toBe("incorrect");
    expect(verdict("neurogenic tumour", emh)).toBe("incorrect");
  });

  it("grades an empty answer as incorrect with score 0", () => {
    for (const a of ["", "   ", "?", "..."]) {
      expect(gradeAnswer(a, emh)).toEqual({ verdict: "incorrect", score: 0, normalized: "", group: "" });
    }
  });

  it("scores correct 1, partial 0.5, incorrect 0, and review 0 until judged", () => {
    expect(VERDICT_SCORES).toEqual({ correct: 1, partial: 0.5, incorrect: 0, review: 0 });
    expect(gradeAnswer("EMH", emh).score).toBe(1);
    expect(gradeAnswer("lymphoma vs EMH", emh).score).toBe(0.5);
    expect(gradeAnswer("lymphoma", emh).score).toBe(0);
    expect(gradeAnswer("paraspinal mass", emh).score).toBe(0);
  });

  it("groups answers that differ only in case, spelling, abbreviation, order, hedges and key-word typos", () => {
    const same = [
      "EMH",
      "Extramedullary haematopoiesis.",
      "hematopoiesis, extramedullary",
      "most likely extramedullary hematopoiesis",
      "extramedulary hematopoesis",
      "I think E.M.H.",
    ].map((a) => gradeAnswer(a, emh).group);
    expect(new Set(same).size).toBe(1);
    expect(same[0]).toBe("extramedullary hematopoiesis");
  });

  it("keeps different answers in different groups", () => {
    const groups = ["EMH", "not EMH", "EMH vs schwannoma", "schwannoma vs EMH", "paraspinal EMH", "schwannoma"].map(
      (a) => gradeAnswer(a, emh).group,
    );
    expect(new Set(groups).size).toBe(groups.length);
  });

  it("accepts a key without the optional lists and does not modify the key", () => {
    const key = Object.freeze({ diagnosis: "Intradural lipoma" });
    expect(verdict("intradural lipoma", key)).toBe("correct");
    expect(verdict("lipoma", key)).toBe("review");
    expect(verdict("dermoid", key)).toBe("incorrect");
    const frozen = structuredClone(emh);
    gradeAnswer("schwannoma vs EMH", emh);
    expect(emh).toEqual(frozen);
  });

  it("returns the same result for the same input", () => {
    const a = gradeAnswer("Bilateral paraspinal masses, likely EMH vs lymphoma", emh);
    const b = gradeAnswer("Bilateral paraspinal masses, likely EMH vs lymphoma", structuredClone(emh));
    expect(a).toEqual(b);
    expect(a.verdict).toBe("correct");
  });

  it("gives every answer in a group the same verdict, so a group can be judged once", () => {
    const rows = [...loadLabelled("labelled.jsonl"), ...loadLabelled("holdout.jsonl"), ...loadLabelled("holdout-keys.jsonl")];
    const verdictByGroup = new Map<string, string>();
    let shared = 0;
    for (const row of rows) {
      const graded = gradeAnswer(row.answer, loadKey(row.case));
      const id = `${row.case}::${graded.group}`;
      const seen = verdictByGroup.get(id);
      if (seen === undefined) verdictByGroup.set(id, graded.verdict);
      else {
        shared++;
        expect(graded.verdict, `${row.case}: ${row.answer}`).toBe(seen);
      }
    }
    expect(shared).toBeGreaterThan(20); // the set really contains differently written identical answers
  });
});
