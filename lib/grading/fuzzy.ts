/**
 * Typos a grader forgives, scaled to word length: none for short words (where one letter turns
 * "iron" into "irony" or "MM" into something else), one for 5-8 letters, two for longer words.
 */
export function typoAllowance(wordLength: number): number {
  if (wordLength <= 4) return 0;
  if (wordLength <= 8) return 1;
  return 2;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition, the commonest
 * typing slip). Returns `limit + 1` as soon as the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const prev = d[i - 1]!;
      const row = d[i]!;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[a.length]![b.length]!;
}

/**
 * Whether a typed word is a typo of a key word. The first letter must agree: slips rarely hit it,
 * and it keeps apart real words that differ only at the front (intramedullary / extramedullary,
 * inactive / active).
 */
export function isTypoOf(typed: string, keyWord: string): boolean {
  if (typed === keyWord) return true;
  if (typed[0] !== keyWord[0]) return false;
  const allowance = typoAllowance(keyWord.length);
  if (allowance === 0) return false;
  return editDistance(typed, keyWord, allowance) <= allowance;
}
