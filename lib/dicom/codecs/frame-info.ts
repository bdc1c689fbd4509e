/** The image pixel module attributes a codec needs to decode one frame. */
export interface FrameInfo {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  planarConfiguration: number;
}

/** Bytes of one native frame, always interleaved samples (planar configuration 0 after decoding). */
export function nativeFrameLength(info: FrameInfo): number {
  return info.rows * info.columns * info.samplesPerPixel * Math.ceil(info.bitsAllocated / 8);
}
