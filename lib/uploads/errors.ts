import type { ErrorCode } from "@/lib/http";

/** An expected refusal of an upload request; routes turn it into errorResponse(code, message). */
export class UploadError extends Error {
  override readonly name = "UploadError";
  constructor(
    readonly code: Exclude<ErrorCode, "internal">,
    message: string,
  ) {
    super(message);
  }
}
