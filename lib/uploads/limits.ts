/** The limits of one upload session; the page shows them and the server enforces them while streaming. */
export const uploadLimits = {
  /** Bytes received per upload session, zips counted as sent (their inflated content counts separately). */
  maxUploadBytes: 2 * 1024 ** 3,
  /** Files in one session, zip entries included (the same ceiling as a zip's entry count). */
  maxFiles: 20_000,
  /** One DICOM file is parsed in memory: larger ones are refused rather than risk the process. */
  maxDicomFileBytes: 512 * 1024 ** 2,
  /** Plain files up to this size are received into memory and de-identified there (one write of the processed bytes). */
  maxInMemoryFileBytes: 64 * 1024 ** 2,
  /** Bytes held in memory by all transfers received that way at once; a transfer that would pass it is staged on disk. */
  inMemoryBudgetBytes: 256 * 1024 ** 2,
  /** Processing time per file before it is refused. */
  perFileTimeoutMs: 20_000,
  /** Upload folders untouched for this long are removed at the next upload. */
  staleAfterMs: 24 * 60 * 60 * 1000,
  /** Zip bomb guard, as for bundles. */
  maxZipRatio: 200,
} as const;

export type UploadLimits = typeof uploadLimits;
