// PUT /api/cases/:number/key-images - marks an image as a key image or replaces its caption and annotations:
//   { instanceId, caption?, annotations } -> 200 { keyImage }.
// DELETE /api/cases/:number/key-images?instanceId=... - unmarks it (and drops its annotations) -> 200 { removed }.
// PATCH /api/cases/:number/key-images - reorders them: { order: [instanceId, ...] } (every key image once) -> 200 { order }.
// Only the case's author, co-authors and admins may (lib/cases/visibility via lib/cases/key-images); every change
// is audited. There is no GET: key images reach residents only inside pages rendered after the reveal.
import { getDb } from "@/db/client";
import { getCaseIdByNumber } from "@/db/queries/case-editing";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import { removeKeyImage, reorderKeyImages, saveKeyImage } from "@/lib/cases/key-images";
import { errorResponse } from "@/lib/http";

export const runtime = "nodejs";

type Context = { params: Promise<{ number: string }> };

type Failure = { ok: false; reason: "forbidden" | "not-found" | "invalid"; fieldErrors?: Record<string, string[]> };

function failureResponse(result: Failure): Response {
  if (result.reason === "invalid") {
    return Response.json({ error: { code: "bad-request", message: "The key image is not valid.", fieldErrors: result.fieldErrors ?? {} } }, { status: 400 });
  }
  return errorResponse(result.reason, result.reason === "forbidden" ? "Only the case's authors and admins may change its key images." : undefined);
}

/** The signed-in staff member and the case's id, or the response that refuses the request. */
async function authorize(context: Context) {
  const user = await getCurrentUser();
  if (!user) return { refused: errorResponse("unauthenticated") };
  if (!isStaff(user.role)) return { refused: errorResponse("forbidden", "Only the case's authors and admins may change its key images.") };
  const { number } = await context.params;
  const db = await getDb();
  const caseId = await getCaseIdByNumber(db, number);
  if (!caseId) return { refused: errorResponse("not-found", "No such case.") };
  return { user, db, caseId };
}

export async function PUT(request: Request, context: Context) {
  const auth = await authorize(context);
  if (auth.refused) return auth.refused;
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return errorResponse("bad-request", "Send JSON: { instanceId, caption, annotations }.");
  const result = await saveKeyImage(auth.db, auth.user, auth.caseId, body);
  if (!result.ok) return failureResponse(result);
  const { ok: _ok, ...keyImage } = result;
  return Response.json({ keyImage });
}

export async function DELETE(request: Request, context: Context) {
  const auth = await authorize(context);
  if (auth.refused) return auth.refused;
  const instanceId = new URL(request.url).searchParams.get("instanceId");
  const result = await removeKeyImage(auth.db, auth.user, auth.caseId, instanceId);
  if (!result.ok) return failureResponse(result);
  return Response.json({ removed: result.removed });
}

export async function PATCH(request: Request, context: Context) {
  const auth = await authorize(context);
  if (auth.refused) return auth.refused;
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return errorResponse("bad-request", "Send JSON: { order: [instanceId, ...] }.");
  const result = await reorderKeyImages(auth.db, auth.user, auth.caseId, body);
  if (!result.ok) return failureResponse(result);
  return Response.json({ order: result.order });
}
