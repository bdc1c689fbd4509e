import { ABBREVIATIONS, CANONICAL, FILLER_WORDS, JOINABLE_PREFIXES, SPELLING_RULES } from "./vocabulary";

/**
 * Lower-cases an answer and rewrites the punctuation habits of free text into plain words, so the
 * splitter only has to deal with words and a few separators: shorthand ("c/w", "w/", "2/2"),
 * dotted abbreviations ("E.M.H."), hedging double negatives ("cannot exclude"), and punctuation
 * inside parentheses (a parenthesis qualifies one answer; it never starts a new one).
 */
export function prepareText(raw: string): string {
  let text = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2013\u2014]/g, " - ");
  text = text
    .replace(/\bc\/w\b/g, " consistent with ")
    .replace(/\bw\/o\b/g, " without ")
    .replace(/\bw\//g, " with ")
    .replace(/\br\/o\b/g, " possible ")
    .replace(/\b2\/2\b/g, " secondary to ")
    .replace(/\bs\/p\b/g, " after ")
    .replace(/\band\/or\b/g, " or ")
    .replace(/&/g, " and ");
  // "E.M.H." and "e.m.h" are the abbreviation, not three sentences.
  text = text.replace(/\b(?:[a-z]\.){2,}(?:[a-z]\b)?/g, (m) => m.replace(/\./g, ""));
  text = text.replace(/\b(vs|v|ddx|dx)\./g, "$1 ");
  text = text.replace(
    /\b(?:cannot|can ?not|can't|could not|couldn't) (?:be )?(?:exclude|excluded|rule out|ruled out)\b|\bnot (?:be )?(?:excluded|ruled out)\b/g,
    " possible ",
  );
  text = text.replace(/\(([^()]*)\)?/g, (_m, inner: string) => ` ${inner.replace(/,|;|\/|\s-\s|\band\b/g, " ")} `);
  text = text.replace(/[?!"*_[\]{}]/g, " ").replace(/\.(\s|$)/g, " ; ").replace(/\./g, " ");
  return text.replace(/\s+/g, " ").trim();
}

/** Plural to singular for the word shapes that occur in diagnoses (masses, metastases, lipomata). */
function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("omata")) return word.slice(0, -2);
  if (word.endsWith("stases")) return `${word.slice(0, -2)}is`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (/(?:ss|is|us|os)$/.test(word)) return word;
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** One word to its grading form: British spelling, plural and synonyms folded. */
export function normalizeWord(word: string): string {
  let w = word;
  for (const [pattern, replacement] of SPELLING_RULES) w = w.replace(pattern, replacement);
  w = singular(w);
  for (const [pattern, replacement] of SPELLING_RULES) w = w.replace(pattern, replacement);
  return CANONICAL[w] ?? w;
}

/**
 * Splits prepared text into grading words: abbreviations expanded, split prefixes joined
 * ("extra medullary"), spelling and plurals folded. Filler words are kept (see
 * {@link contentWords}); apostrophes and hyphens separate words.
 */
export function tokenize(text: string): string[] {
  const raw = text
    .replace(/'/g, " ")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  const expanded: string[] = [];
  for (const w of raw) {
    const expansion = ABBREVIATIONS[w];
    if (expansion) expanded.push(...expansion.split(" "));
    else expanded.push(w);
  }
  const joined: string[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const w = expanded[i]!;
    const next = expanded[i + 1];
    if (JOINABLE_PREFIXES.has(w) && next !== undefined && !FILLER_WORDS.has(next)) {
      joined.push(w + next);
      i++;
    } else {
      joined.push(w);
    }
  }
  return joined.map(normalizeWord);
}

/** The words that carry meaning: {@link tokenize} output without hedges and grammar. */
export function contentWords(words: readonly string[]): string[] {
  return words.filter((w) => !FILLER_WORDS.has(w));
}
