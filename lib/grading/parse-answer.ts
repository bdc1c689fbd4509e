import { contentWords, prepareText, tokenize } from "./normalize";

/**
 * One diagnosis named inside a free-text answer. "Schwannoma vs EMH, not plasmacytoma" holds three.
 */
export interface AnswerSegment {
  /** Content words in grading form (see `tokenize`), fillers removed. */
  words: string[];
  /** Every word in grading form, fillers kept; used for the human-readable normalised text. */
  allWords: string[];
  /** Named as ruled out ("not X", "no X", "X unlikely", "rather than X"): never counts as the answer. */
  negated: boolean;
  /** How strongly the writer favours it: 2 "most likely / favour", 1 "likely", 0 none, -1 "less likely". */
  emphasis: number;
  /** Joined to the previous segment by a comma, dash or "and": may be a word-order inversion. */
  weakBefore: boolean;
}

/** Separators that always start another alternative. Captured so "rather than" can negate what follows. */
const STRONG_SEPARATOR =
  /\s*(;|\n|:|>|\/|\b(?:vs|versus|v|or|but|over|rather than|instead of|differential diagnosis includes|differential diagnosis|differential includes|differential|ddx|nor)\b)\s*/;
/** Separators that may list alternatives or may only invert word order ("hematopoiesis, extramedullary"). */
const WEAK_SEPARATOR = /\s*(?:,|\s-\s|\band\b)\s*/;

const LEADING_FILLER =
  /^(?:(?:i|we) (?:think|believe|feel|would say|guess)(?: that)?|i'd say|this is|this|it is|it's|it|findings are|findings|there is|there are)\s+/;
const LEADING_NEGATOR = /^(?:(?:i|we) (?:don't|dont|do not) (?:think|believe)|not|no|neither|unlikely|doubt|doubtful|never|isn't|isnt|don't|dont|do not|negative for|less probable|exclude|excluded|ruled out)\b/;
const TRAILING_NEGATOR = /\b(?:unlikely|excluded|ruled out|not likely|doubtful|is not|isn't|not favou?red|less probable)$/;
/** A negator in the middle ("EMH without cord compression", "EMH not plasmacytoma") ends the positive part. */
const INNER_NEGATOR = /\s(?:with no|without|no|not)\b.*$/;

function emphasisOf(text: string): number {
  if (/\bless likely\b/.test(text)) return -1;
  if (/\b(?:most likely|more likely|favou?r(?:ed|s|ing)?)\b/.test(text)) return 2;
  if (/\b(?:likely|probabl[ey]|suspect(?:ed)?)\b/.test(text)) return 1;
  return 0;
}

function analyseSegment(rawText: string, negatedBySeparator: boolean, weakBefore: boolean): AnswerSegment {
  const emphasis = emphasisOf(rawText);
  let text = rawText.trim();
  let previous = "";
  while (previous !== text) {
    previous = text;
    text = text.replace(LEADING_FILLER, "");
  }
  let negated = negatedBySeparator || LEADING_NEGATOR.test(text) || TRAILING_NEGATOR.test(text);
  if (!negated) text = text.replace(INNER_NEGATOR, "");
  const allWords = tokenize(text);
  const words = contentWords(allWords);
  if (words.length === 0) negated = false;
  return { words, allWords, negated, emphasis, weakBefore };
}

/**
 * Splits a free-text answer into the diagnoses it names, in the order written, each marked as
 * negated or not and with the writer's emphasis. Pure and key-independent; the grader then merges
 * segments that turn out to be one diagnosis split by a comma.
 */
export function splitAnswer(answer: string): AnswerSegment[] {
  const prepared = prepareText(answer);
  if (prepared === "") return [];
  const segments: AnswerSegment[] = [];
  const strongParts = prepared.split(STRONG_SEPARATOR);
  let negateNext = false;
  for (let i = 0; i < strongParts.length; i++) {
    const part = strongParts[i]!;
    if (i % 2 === 1) {
      negateNext = part === "rather than" || part === "instead of" || part === "nor";
      continue;
    }
    const weakParts = part.split(WEAK_SEPARATOR);
    weakParts.forEach((weak, j) => {
      if (weak.trim() === "") return;
      segments.push(analyseSegment(weak, negateNext && j === 0, j > 0));
    });
    negateNext = false;
  }
  return segments;
}
