/** Pixel data that is present but cannot be turned into native pixels; the message is shown to uploaders. */
export class DicomDecodeError extends Error {
  override readonly name = "DicomDecodeError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
