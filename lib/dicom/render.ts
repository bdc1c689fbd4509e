import type { DataSet } from "dicom-parser";
import { PNG } from "pngjs";
import { DicomDecodeError } from "./codecs/errors";
import { parseDicomBytes } from "./instance-meta";
import { cleanUid, getTransferSyntax } from "./transfer-syntax";

/** An 8-bit single-channel picture, row-major, width * height bytes. */
export interface Gray8Image {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface RenderOptions {
  /** Longest side of the result; larger images are area-averaged down. Default: no resizing. */
  maxSize?: number;
  /** Overrides the file's window (in rescaled units, e.g. HU). Both must be given to apply. */
  windowCenter?: number;
  windowWidth?: number;
  /** Zero-based frame of a multi-frame image. Default 0. */
  frame?: number;
}

/**
 * Renders one frame of an uncompressed (normalised) DICOM file as 8-bit gray for thumbnails:
 * modality rescale, the requested or stored window (else the pixel range, ignoring padding),
 * MONOCHROME1 inversion, and area-average downsampling. RGB becomes luma.
 *
 * @throws DicomInvalidError for non-DICOM or truncated bytes; DicomDecodeError for compressed or missing pixels.
 */
export function renderGray8(bytes: Uint8Array, opts: RenderOptions = {}): Gray8Image {
  const ds = parseDicomBytes(bytes);
  const tsUid = cleanUid(ds.string("x00020010") ?? "");
  const ts = getTransferSyntax(tsUid);
  if (!ts || ts.encapsulated) throw new DicomDecodeError(`renderGray8 needs uncompressed pixels, got ${ts?.name ?? tsUid}; normalise the file first`);

  const rows = ds.uint16("x00280010") ?? 0;
  const columns = ds.uint16("x00280011") ?? 0;
  const bitsAllocated = ds.uint16("x00280100") ?? 16;
  const signed = ds.uint16("x00280103") === 1;
  const samples = ds.uint16("x00280002") ?? 1;
  const planar = ds.uint16("x00280006") ?? 0;
  const photometric = (ds.string("x00280004") ?? "MONOCHROME2").trim();
  const frames = ds.intString("x00280008") ?? 1;
  const frame = opts.frame ?? 0;
  const pixelElement = ds.elements.x7fe00010;
  if (!rows || !columns || !pixelElement) throw new DicomDecodeError("the file has no image pixels");
  if (![8, 16, 32].includes(bitsAllocated)) throw new DicomDecodeError(`BitsAllocated ${bitsAllocated} cannot be rendered`);
  if (frame < 0 || frame >= frames) throw new DicomDecodeError(`frame ${frame} is out of range (the file has ${frames})`);

  const pixels = rows * columns;
  const bytesPerSample = bitsAllocated / 8;
  const frameBytes = pixels * samples * bytesPerSample;
  const start = pixelElement.dataOffset + frame * frameBytes;
  if (start + frameBytes > ds.byteArray.length || (frame + 1) * frameBytes > pixelElement.length) {
    throw new DicomDecodeError("PixelData is truncated");
  }
  const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + start, frameBytes);
  const little = ts.littleEndian;
  const read = (i: number): number => {
    if (bytesPerSample === 1) return signed ? view.getInt8(i) : view.getUint8(i);
    if (bytesPerSample === 2) return signed ? view.getInt16(i * 2, little) : view.getUint16(i * 2, little);
    return signed ? view.getInt32(i * 4, little) : view.getUint32(i * 4, little);
  };

  const gray = new Uint8Array(pixels);
  if (samples === 3) {
    // Colour thumbnails are rare; luma keeps one code path and one PNG format.
    for (let p = 0; p < pixels; p++) {
      const [r, g, b] = planar === 1 ? [read(p), read(p + pixels), read(p + 2 * pixels)] : [read(3 * p), read(3 * p + 1), read(3 * p + 2)];
      gray[p] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * (bytesPerSample === 1 ? 1 : 255 / 65535));
    }
  } else {
    const slope = ds.floatString("x00281053") ?? 1;
    const intercept = ds.floatString("x00281052") ?? 0;
    const padding = readPadding(ds, signed, little);
    const values = new Float64Array(pixels);
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < pixels; p++) {
      const stored = read(p);
      const v = stored * slope + intercept;
      values[p] = v;
      if (stored !== padding) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (min === Infinity) min = max = 0;
    let center = opts.windowCenter;
    let width = opts.windowWidth;
    if (center === undefined || width === undefined || width < 1) {
      center = ds.floatString("x00281050");
      width = ds.floatString("x00281051");
    }
    if (center === undefined || width === undefined || width < 1) {
      center = (min + max) / 2;
      width = Math.max(1, max - min + 1);
    }
    const invert = photometric === "MONOCHROME1";
    const low = center - 0.5 - (width - 1) / 2;
    const high = center - 0.5 + (width - 1) / 2;
    for (let p = 0; p < pixels; p++) {
      const v = values[p] ?? 0;
      // Linear VOI function from PS3.3 C.11.2.1.2.1.
      const out = v <= low ? 0 : v > high ? 255 : Math.round(((v - (center - 0.5)) / Math.max(1, width - 1) + 0.5) * 255);
      gray[p] = invert ? 255 - out : out;
    }
  }
  return downsample({ width: columns, height: rows, data: gray }, opts.maxSize);
}

/** Encodes an 8-bit gray image as a PNG file. */
export function encodePng(image: Gray8Image): Buffer {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Box-filter downsampling so that the longer side is at most maxSize. */
export function downsample(image: Gray8Image, maxSize?: number): Gray8Image {
  const { width, height, data } = image;
  if (!maxSize || maxSize <= 0 || Math.max(width, height) <= maxSize) return image;
  const scale = maxSize / Math.max(width, height);
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const y0 = Math.floor((y * height) / outH);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / outH));
    for (let x = 0; x < outW; x++) {
      const x0 = Math.floor((x * width) / outW);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / outW));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) sum += data[yy * width + xx] ?? 0;
      }
      out[y * outW + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width: outW, height: outH, data: out };
}

/** PixelPaddingValue is US or SS depending on PixelRepresentation; read its raw bytes accordingly. */
function readPadding(ds: DataSet, signed: boolean, little: boolean): number | undefined {
  const element = ds.elements.x00280120;
  if (!element || element.length < 2) return undefined;
  const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + element.dataOffset, 2);
  return signed ? view.getInt16(0, little) : view.getUint16(0, little);
}
