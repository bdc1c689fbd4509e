import { getTransferSyntax } from "../transfer-syntax";
import { DicomDecodeError } from "./errors";
import { type FrameInfo, nativeFrameLength } from "./frame-info";
import { decodeJpegExtended12, decodeJpegLossless } from "./jpeg-js";
import { readJpegFrameHeader } from "./jpeg-markers";
import { decodeRleFrame } from "./rle";
import { decodeWithWasm } from "./wasm";

export { DicomDecodeError } from "./errors";
export type { FrameInfo } from "./frame-info";
export { nativeFrameLength } from "./frame-info";
export { startsCompressedFrame } from "./jpeg-markers";

/**
 * Decodes one compressed frame into native little-endian pixel bytes.
 *
 * The result always has interleaved samples (planar configuration 0) and
 * ceil(bitsAllocated / 8) bytes per sample. Colour JPEG and JPEG 2000 come back in the
 * colour space reported by {@link decodedPhotometric}; the caller updates the header.
 */
export async function decodeFrame(transferSyntaxUid: string, encoded: Uint8Array, info: FrameInfo): Promise<Uint8Array> {
  const ts = getTransferSyntax(transferSyntaxUid);
  if (!ts) throw new DicomDecodeError(`transfer syntax ${transferSyntaxUid} is not supported`);
  if (!ts.encapsulated) throw new DicomDecodeError(`${ts.name} is not a compressed transfer syntax`);
  const bytesPerSample = Math.ceil(info.bitsAllocated / 8);

  let decoded: Uint8Array;
  let decodedBytesPerSample = bytesPerSample;
  let interleaved = true;
  switch (ts.codec) {
    case "rle":
      return decodeRleFrame(encoded, info);
    case "jpeg-baseline":
    case "jpeg-extended":
    case "jpeg-lossless": {
      const sof = readJpegFrameHeader(encoded);
      if (!sof) throw new DicomDecodeError("JPEG frame has no start-of-frame header");
      if (sof.marker === 0xffc3) {
        decoded = decodeJpegLossless(encoded, bytesPerSample);
      } else if (sof.marker === 0xffc0 || sof.marker === 0xffc1 || sof.marker === 0xffc2) {
        if (sof.precision <= 8) {
          const result = await decodeWithWasm("libjpeg-turbo", encoded);
          decoded = result.pixels;
          decodedBytesPerSample = 1;
        } else {
          decoded = (await decodeJpegExtended12(encoded)).pixels;
          decodedBytesPerSample = 2;
        }
      } else {
        throw new DicomDecodeError(`JPEG process with marker 0x${sof.marker.toString(16)} is not supported`);
      }
      break;
    }
    case "jpeg-ls": {
      const result = await decodeWithWasm("charls", encoded);
      decoded = result.pixels;
      decodedBytesPerSample = result.frameInfo.bitsPerSample <= 8 ? 1 : 2;
      interleaved = !(result.interleaveMode === 0 && info.samplesPerPixel > 1);
      break;
    }
    case "jpeg-2000": {
      const result = await decodeWithWasm("openjpeg", encoded);
      decoded = result.pixels;
      decodedBytesPerSample = result.frameInfo.bitsPerSample <= 8 ? 1 : 2;
      break;
    }
    default:
      throw new DicomDecodeError(`${ts.name} has no decoder`);
  }

  const samples = info.rows * info.columns * info.samplesPerPixel;
  if (decoded.length !== samples * decodedBytesPerSample) {
    throw new DicomDecodeError(
      `decoded ${decoded.length} bytes but a ${info.columns}x${info.rows} frame with ${info.samplesPerPixel} sample(s) needs ${samples * decodedBytesPerSample}`,
    );
  }
  let out = resizeSamples(decoded, decodedBytesPerSample, bytesPerSample, info.pixelRepresentation === 1);
  if (!interleaved) out = planarToInterleaved(out, info.rows * info.columns, info.samplesPerPixel, bytesPerSample);
  if (out.length !== nativeFrameLength(info)) throw new DicomDecodeError("decoded frame has the wrong size");
  return out;
}

/**
 * Photometric interpretation of pixels returned by {@link decodeFrame}: JPEG DCT decoders
 * and JPEG 2000 with a multi-component transform hand back RGB.
 */
export function decodedPhotometric(transferSyntaxUid: string, photometricInterpretation: string, samplesPerPixel: number): string {
  if (samplesPerPixel !== 3) return photometricInterpretation;
  const codec = getTransferSyntax(transferSyntaxUid)?.codec;
  if ((codec === "jpeg-baseline" || codec === "jpeg-extended") && photometricInterpretation.startsWith("YBR_FULL")) return "RGB";
  if (codec === "jpeg-2000" && (photometricInterpretation === "YBR_ICT" || photometricInterpretation === "YBR_RCT")) return "RGB";
  return photometricInterpretation;
}

/** Widens 8-bit samples into 16-bit slots (sign-extending signed data) or passes through. */
function resizeSamples(data: Uint8Array, from: number, to: number, signed: boolean): Uint8Array {
  if (from === to) return data;
  if (from === 1 && to === 2) {
    const out = new Uint8Array(data.length * 2);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] ?? 0;
      out[2 * i] = v;
      out[2 * i + 1] = signed && v & 0x80 ? 0xff : 0;
    }
    return out;
  }
  if (from === 2 && to === 1) {
    const out = new Uint8Array(data.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = data[2 * i] ?? 0;
    return out;
  }
  throw new DicomDecodeError(`cannot fit ${from}-byte samples into ${to}-byte pixels`);
}

/** Converts RRR...GGG...BBB... into RGBRGB..., keeping multi-byte samples together. */
export function planarToInterleaved(data: Uint8Array, pixels: number, samples: number, bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(data.length);
  const plane = pixels * bytesPerSample;
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) {
        out[(p * samples + s) * bytesPerSample + b] = data[s * plane + p * bytesPerSample + b] ?? 0;
      }
    }
  }
  return out;
}
