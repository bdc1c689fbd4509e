/** Types for the vendored pdf.js/daikon DCT JPEG decoder (only what Casebook calls). */
interface JpegImage {
  parse(data: Uint8Array): void;
  getData16(width: number, height: number): Uint16Array;
  width: number;
  height: number;
  components: unknown[];
}
declare const jpegDct: { JpegImage: new () => JpegImage };
export = jpegDct;
