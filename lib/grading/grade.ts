import type { AnswerKeyInput } from "./answer-key";
import { isTypoOf } from "./fuzzy";
import { contentWords, prepareText, tokenize } from "./normalize";
import { splitAnswer, type AnswerSegment } from "./parse-answer";
import { DIAGNOSIS_NOUN, FILLER_WORDS, GENERIC_WORDS } from "./vocabulary";

/** The four outcomes. `review` means a person must judge it; it carries no score until then. */
export type Verdict = "correct" | "partial" | "incorrect" | "review";

/**
 * Points per verdict. Partial is half: the right family or the right answer lower in the
 * differential. Review is 0 only as a placeholder: callers must not total it until adjudicated.
 */
export const VERDICT_SCORES: Readonly<Record<Verdict, number>> = { correct: 1, partial: 0.5, incorrect: 0, review: 0 };

/** What the grader decided about one answer (or one ranked submission). */
export interface GradeResult {
  verdict: Verdict;
  score: number;
  /** The key phrase that decided the verdict, as written in the key. */
  matched?: string;
  /** The answer in grading form: lower case, abbreviations expanded, spellings folded. */
  normalized: string;
  /**
   * Grouping key: answers with the same group are graded identically and are shown and
   * adjudicated once. Word order, hedges, spelling variants and typos of key words do not
   * change it; which diagnoses are named, negated and in what rank order do.
   */
  group: string;
}

type PhraseKind = "correct" | "partial" | "reject";

interface KeyPhrase {
  text: string;
  kind: PhraseKind;
  words: ReadonlySet<string>;
}

interface CompiledKey {
  phrases: KeyPhrase[];
  vocabulary: ReadonlySet<string>;
  /** Non-generic words of the accepted phrases: sharing one of them makes an answer worth a look. */
  acceptedCore: ReadonlySet<string>;
}

const compiledKeys = new WeakMap<AnswerKeyInput, CompiledKey>();

function phraseWords(text: string): Set<string> {
  return new Set(contentWords(tokenize(prepareText(text))));
}

function compileKey(key: AnswerKeyInput): CompiledKey {
  const cached = compiledKeys.get(key);
  if (cached) return cached;
  const phrases: KeyPhrase[] = [];
  const add = (texts: readonly string[] | undefined, kind: PhraseKind) => {
    for (const text of texts ?? []) {
      const words = phraseWords(text);
      if (words.size > 0) phrases.push({ text, kind, words });
    }
  };
  add([key.diagnosis], "correct");
  add(key.synonyms, "correct");
  add(key.partial, "partial");
  add(key.reject, "reject");
  const vocabulary = new Set(phrases.flatMap((p) => [...p.words]));
  const acceptedCore = new Set(
    phrases.filter((p) => p.kind !== "reject").flatMap((p) => [...p.words].filter((w) => !GENERIC_WORDS.has(w))),
  );
  const compiled = { phrases, vocabulary, acceptedCore };
  compiledKeys.set(key, compiled);
  return compiled;
}

/** Replaces typos of key words by the key word, so matching and grouping see one spelling. */
function correctTypos(words: readonly string[], key: CompiledKey): string[] {
  return words.map((w) => {
    if (key.vocabulary.has(w) || GENERIC_WORDS.has(w) || FILLER_WORDS.has(w)) return w;
    for (const v of key.vocabulary) if (isTypoOf(w, v)) return v;
    return w;
  });
}

const KIND_PRIORITY: Readonly<Record<PhraseKind, number>> = { reject: 0, correct: 1, partial: 2 };

const significantCount = (phrase: KeyPhrase) => [...phrase.words].filter((w) => !GENERIC_WORDS.has(w)).length;

/**
 * The key phrase an answer names: of the phrases whose words all occur in the answer, the one
 * with most words (the most specific reading wins, so "extramedullary plasmacytoma" beats
 * "plasmacytoma", and "fatty EMH" beats "EMH"). Among equally long phrases the one with more
 * non-generic words wins ("sickle cell disease with EMH" is EMH, not the reject "extramedullary
 * disease"); remaining ties go to reject, then correct.
 */
function bestPhrase(words: readonly string[], key: CompiledKey): KeyPhrase | undefined {
  const present = new Set(words);
  let best: KeyPhrase | undefined;
  for (const phrase of key.phrases) {
    if (![...phrase.words].every((w) => present.has(w))) continue;
    if (best === undefined) {
      best = phrase;
      continue;
    }
    const bySize = phrase.words.size - best.words.size;
    const bySignificance = significantCount(phrase) - significantCount(best);
    const byKind = KIND_PRIORITY[best.kind] - KIND_PRIORITY[phrase.kind];
    if (bySize > 0 || (bySize === 0 && (bySignificance > 0 || (bySignificance === 0 && byKind > 0)))) best = phrase;
  }
  return best;
}

type ItemVerdict = Verdict | "vague";

interface Item {
  words: string[];
  allWords: string[];
  negated: boolean;
  emphasis: number;
  weakBefore: boolean;
}

function isVague(words: readonly string[]): boolean {
  return words.length > 0 && words.every((w) => GENERIC_WORDS.has(w));
}

function gradeItem(words: readonly string[], key: CompiledKey): { verdict: ItemVerdict; matched?: string } {
  const phrase = bestPhrase(words, key);
  if (phrase) {
    const verdict = phrase.kind === "reject" ? "incorrect" : phrase.kind;
    return { verdict, matched: phrase.text };
  }
  if (isVague(words)) return { verdict: "vague" };
  const core = words.filter((w) => !GENERIC_WORDS.has(w));
  if (!core.some((w) => key.acceptedCore.has(w))) return { verdict: "incorrect" };
  // Shares a key word but names another entity too ("extramedullary lymphoma"): a different diagnosis.
  const namesAnotherEntity = core.some((w) => !key.vocabulary.has(w) && DIAGNOSIS_NOUN.test(w));
  return { verdict: namesAnotherEntity ? "incorrect" : "review" };
}

/**
 * Turns written segments into the ranked diagnoses they name:
 * - words-only segments ("ddx:", "most likely:") pass their emphasis on and disappear;
 * - vague segments ("bilateral paraspinal masses, likely EMH") describe the next diagnosis and
 *   are merged into it;
 * - comma-separated fragments are merged when together they name a more specific key phrase than
 *   either alone ("hematopoiesis, extramedullary", "myeloma, extramedullary");
 * - then diagnoses are ordered by the writer's emphasis, keeping written order otherwise.
 */
function rankItems(segments: readonly AnswerSegment[], key: CompiledKey): Item[] {
  let items: Item[] = [];
  let carriedEmphasis = 0;
  for (const s of segments) {
    const words = correctTypos(s.words, key);
    if (words.length === 0) {
      carriedEmphasis = Math.max(carriedEmphasis, s.emphasis);
      continue;
    }
    items.push({ ...s, words, allWords: correctTypos(s.allWords, key), emphasis: Math.max(s.emphasis, carriedEmphasis) });
    carriedEmphasis = 0;
  }

  const merge = (into: Item, from: Item, fromFirst: boolean): Item => ({
    words: fromFirst ? [...from.words, ...into.words] : [...into.words, ...from.words],
    allWords: fromFirst ? [...from.allWords, ...into.allWords] : [...into.allWords, ...from.allWords],
    negated: into.negated,
    emphasis: Math.max(into.emphasis, from.emphasis),
    weakBefore: fromFirst ? from.weakBefore : into.weakBefore,
  });

  for (let i = 0; i < items.length; ) {
    const item = items[i]!;
    if (item.negated || !isVague(item.words)) {
      i++;
      continue;
    }
    const nextIndex = items.findIndex((other, j) => j > i && !other.negated);
    const prevIndex = items.findLastIndex((other, j) => j < i && !other.negated);
    if (nextIndex >= 0) {
      items[nextIndex] = merge(items[nextIndex]!, item, true);
      items.splice(i, 1);
    } else if (prevIndex >= 0) {
      items[prevIndex] = merge(items[prevIndex]!, item, false);
      items.splice(i, 1);
    } else {
      i++;
    }
  }

  const specificity = (words: readonly string[]) => bestPhrase(words, key)?.words.size ?? 0;
  for (let i = 1; i < items.length; ) {
    const prev = items[i - 1]!;
    const item = items[i]!;
    if (item.weakBefore && !item.negated && !prev.negated) {
      const together = merge(prev, item, false);
      const jointPhrase = bestPhrase(together.words, key);
      const joint = jointPhrase?.words.size ?? 0;
      // "epidural abscess, EMH" is a list even though "epidural EMH" is a key phrase: "abscess" is left over.
      const explainsAll = together.words.every((w) => GENERIC_WORDS.has(w) || jointPhrase?.words.has(w));
      // Merge when nothing is lost: either a split phrase ("hematopoiesis, extramedullary") or one
      // diagnosis described twice ("paraspinal haematopoietic masses - extramedullary haematopoiesis").
      if (explainsAll && joint > 0 && joint >= specificity(prev.words) && joint >= specificity(item.words)) {
        items[i - 1] = together;
        items.splice(i, 1);
        continue;
      }
    }
    i++;
  }

  items = items.map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.emphasis - a.item.emphasis || a.index - b.index)
    .map(({ item }) => item);
  return items;
}

/**
 * Verdict for a ranked list of named diagnoses: the first one decides; a right answer further
 * down the list is worth partial credit; ruled-out diagnoses never count.
 */
function combine(items: readonly Item[], key: CompiledKey): { verdict: Verdict; matched?: string } {
  const positive = items.filter((i) => !i.negated);
  if (positive.length === 0) return { verdict: "incorrect" };
  const graded = positive.map((i) => gradeItem(i.words, key)).filter((g, _, all) => g.verdict !== "vague" || all.every((o) => o.verdict === "vague"));
  const [first, ...rest] = graded;
  if (first === undefined || first.verdict === "vague") return { verdict: "review" };
  if (first.verdict !== "incorrect") return { verdict: first.verdict, matched: first.matched };
  const laterCorrect = rest.find((g) => g.verdict === "correct");
  if (laterCorrect) return { verdict: "partial", matched: laterCorrect.matched };
  if (rest.some((g) => g.verdict === "review")) return { verdict: "review" };
  return { verdict: "incorrect", matched: first.matched };
}

function groupOf(items: readonly Item[]): string {
  return items
    .map((i) => `${i.negated ? "not " : ""}${[...new Set(i.words)].sort().join(" ")}`)
    .join(" | ");
}

function result(verdict: Verdict, matched: string | undefined, normalized: string, group: string): GradeResult {
  return { verdict, score: VERDICT_SCORES[verdict], ...(matched === undefined ? {} : { matched }), normalized, group };
}

/**
 * Grades one free-text answer against a case's answer key.
 *
 * The first diagnosis named is taken as the most likely; in "X vs Y", "X or Y" and "X, Y" the
 * others are the lower differential, so a right answer there earns `partial`. Negated diagnoses
 * ("not X", "X unlikely") never count. Key near misses (`reject`) win over accepted phrases they
 * contain. An empty answer is `incorrect` with score 0.
 */
export function gradeAnswer(answerText: string, key: AnswerKeyInput): GradeResult {
  const compiled = compileKey(key);
  const items = rankItems(splitAnswer(answerText), compiled);
  const { verdict, matched } = combine(items, compiled);
  const normalized = correctTypos(tokenize(prepareText(answerText)), compiled).join(" ");
  return result(verdict, matched, normalized, groupOf(items));
}

/**
 * Grades a ranked submission of one to three diagnoses (first = most likely). The most likely one
 * right is `correct`; the right answer only lower down is `partial`. Hedges inside one entry
 * ("X vs Y") rank as if they were separate entries in that place.
 */
export function gradeSubmission(rankedAnswers: readonly string[], key: AnswerKeyInput): GradeResult {
  if (rankedAnswers.length < 1 || rankedAnswers.length > 3) {
    throw new RangeError(`a submission has 1 to 3 ranked answers, got ${rankedAnswers.length}`);
  }
  const compiled = compileKey(key);
  const perAnswer = rankedAnswers.map((a) => rankItems(splitAnswer(a), compiled));
  const { verdict, matched } = combine(perAnswer.flat(), compiled);
  const normalized = rankedAnswers.map((a) => correctTypos(tokenize(prepareText(a)), compiled).join(" ")).join(" | ");
  return result(verdict, matched, normalized, perAnswer.map(groupOf).join(" || "));
}
