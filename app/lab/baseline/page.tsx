// DEV/BENCH-ONLY: the bare minimum that puts one DICOM image on screen (fetch, dicom-parser,
// cornerstone.displayImage), the baseline bench/viewer.ts compares the case page's first image with.
// 404 in production unless the server runs with CASEBOOK_BENCH=1.
import { notFound } from "next/navigation";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { BaselineImage } from "./_components/baseline-image";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid() });

export default async function BaselinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const env = getEnv();
  if (env.NODE_ENV === "production" && env.CASEBOOK_BENCH !== "1") notFound();
  const parsed = paramsSchema.safeParse(await searchParams);
  if (!parsed.success) notFound();
  return (
    <main style={{ height: "calc(100vh - 56px)", minHeight: 480 }}>
      <BaselineImage url={`/api/dicom/${parsed.data.id}`} />
    </main>
  );
}
