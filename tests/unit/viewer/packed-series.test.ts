import { describe, expect, it } from "vitest";
import { packSeries, unpackSeries } from "@/lib/viewer/packed-series";
import type { ViewerInstance, ViewerSeries } from "@/lib/viewer/types";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function ct(slices: number): ViewerSeries {
  return {
    id: uuid(9000),
    description: "CT AX",
    modality: "CT",
    seriesNumber: 2,
    frameOfReferenceUid: "1.2.3",
    thumbnailUrl: `/api/instances/${uuid(150)}/preview?size=160`,
    instances: Array.from({ length: slices }, (_, i): ViewerInstance => ({
      id: uuid(i),
      url: `/api/dicom/${uuid(i)}`,
      instanceNumber: i + 1,
      position: [-256, -256, 0 - i * 1.25],
      orientation: [1, 0, 0, 0, 1, 0],
      sliceLocation: 0 - i * 1.25,
      sliceThickness: 5,
      pixelSpacing: [0.7, 0.7],
      rows: 512,
      columns: 512,
      frames: 1,
    })),
  };
}

describe("packed series", () => {
  it("gives back exactly the series it was given, field for field", () => {
    const mixed: ViewerSeries = {
      id: uuid(9001),
      description: "",
      modality: "MR",
      seriesNumber: null,
      frameOfReferenceUid: null,
      instances: [
        { id: uuid(1), url: "/elsewhere/a.dcm", instanceNumber: null, position: null, orientation: null, sliceLocation: null, sliceThickness: null, pixelSpacing: null, rows: 256, columns: 256, frames: 16 },
        { id: uuid(2), url: "/elsewhere/b.dcm", instanceNumber: 7, position: [0, 1, 2], orientation: [0, 1, 0, 0, 0, -1], sliceLocation: 3.5, sliceThickness: 4, pixelSpacing: [1, 1], rows: 256, columns: 200, frames: 1 },
      ],
    };
    const empty: ViewerSeries = { ...mixed, id: uuid(9002), instances: [] };
    const series = [ct(40), mixed, empty];
    // Through JSON, as the RSC payload carries it.
    const back = unpackSeries(JSON.parse(JSON.stringify(packSeries(series))));
    expect(back).toEqual(series);
  });

  it("sends each shared value once and derives URLs from ids", () => {
    const [packed] = packSeries([ct(300)]);
    expect(packed!.urlPrefix).toBe("/api/dicom/");
    expect(packed!.urls).toBeUndefined();
    expect(packed!.shared).toEqual({ orientation: [1, 0, 0, 0, 1, 0], sliceThickness: 5, pixelSpacing: [0.7, 0.7], rows: 512, columns: 512, frames: 1 });
    expect(Object.keys(packed!.columns).sort()).toEqual(["instanceNumber", "position", "sliceLocation"]);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(ct(300)).length / 3);
  });

  it("never lets two unpacked instances share an array", () => {
    const [series] = unpackSeries(packSeries([ct(3)]));
    series!.instances[0]!.orientation![0] = 9;
    expect(series!.instances[1]!.orientation![0]).toBe(1);
  });
});
