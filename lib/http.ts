import { NextResponse } from "next/server";

export type ErrorCode = "unauthenticated" | "forbidden" | "not-found" | "bad-request" | "conflict" | "too-large" | "internal";

const statusOf: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  "bad-request": 400,
  conflict: 409,
  "too-large": 413,
  internal: 500,
};

const defaultMessage: Record<ErrorCode, string> = {
  unauthenticated: "Sign in first.",
  forbidden: "Your role may not do this.",
  "not-found": "Not found.",
  "bad-request": "The request is not valid.",
  conflict: "This conflicts with the current state.",
  "too-large": "The request is too large.",
  internal: "Something went wrong on our side.",
};

/** The one mapping from an error code to an HTTP answer; never carries internals. */
export function errorResponse(code: ErrorCode, message?: string): NextResponse {
  return NextResponse.json({ error: { code, message: message ?? defaultMessage[code] } }, { status: statusOf[code] });
}
