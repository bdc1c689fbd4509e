/**
 * Answer words in a public description (DICOM SeriesDescription, StudyDescription, an educator's series name)
 * would give the case away before the reveal. Returns the first phrase found as whole words, or undefined.
 */
export function leakingPhrase(text: string, phrases: readonly string[]): string | undefined {
  const haystack = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  return phrases.find((p) => {
    const needle = p.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    return needle.length >= 3 && haystack.includes(` ${needle} `);
  });
}
