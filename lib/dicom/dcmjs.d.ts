/**
 * Minimal types for dcmjs (which ships none): only the "dict" representation that the
 * ingest pipeline passes between de-identification and normalisation.
 */
declare module "dcmjs" {
  /** One data element as dcmjs holds it: Value is always an array (binary VRs hold ArrayBuffers). */
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
    /** dcmjs keeps the raw text of some values and may prefer it when writing. */
    _rawValue?: unknown;
    [key: string]: unknown;
  }
  /** Elements keyed by tag in upper-case hex without separators, e.g. "7FE00010". */
  export type DicomDataset = Record<string, DicomElement>;

  export interface ReadOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }
  export interface WriteOptions {
    allowInvalidVRLength?: boolean;
    fragmentMultiframe?: boolean;
  }

  export class DicomDict {
    constructor(meta: DicomDataset);
    meta: DicomDataset;
    dict: DicomDataset;
    write(options?: WriteOptions): ArrayBuffer;
  }

  /**
   * dcmjs's byte reader. Offsets are absolute positions in the buffer it was built on.
   * Used by de-identification to read a data set up to PixelData without copying the pixels.
   */
  export class ReadBufferStream {
    constructor(buffer: ArrayBuffer, littleEndian?: boolean | null, options?: { start?: number | null; stop?: number | null; noCopy?: boolean });
    offset: number;
    size: number;
    readAsciiString(length: number): string;
    increment(step: number): void;
    /** Copies bytes [start, end) into a new ArrayBuffer. */
    slice(start?: number, end?: number): ArrayBuffer;
    /** A new stream over the next `length` bytes; advances this one past them. */
    more(length: number): ReadBufferStream;
  }
  /** Inflates a Deflated Explicit VR Little Endian data set; offsets then refer to the inflated bytes. */
  export class DeflatedReadBufferStream extends ReadBufferStream {
    constructor(stream: ReadBufferStream, options?: { noCopy?: boolean });
  }

  /** One entry of dcmjs's standard dictionary, keyed by punctuated tag "(GGGG,EEEE)". */
  export interface DictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
    version: string;
  }

  export interface ReadDatasetOptions {
    ignoreErrors?: boolean;
    /** Stop at this top-level tag ("7FE00010"); the stream is left just after the tag's 4 bytes. */
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    stopOnGreaterTag?: boolean;
  }

  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: ReadOptions): DicomDict;
      /** Internal reader of one data set from a stream in the given transfer syntax. */
      _read(stream: ReadBufferStream, syntax: string, options?: ReadDatasetOptions): DicomDataset;
    };
    DicomDict: typeof DicomDict;
    ReadBufferStream: typeof ReadBufferStream;
    DeflatedReadBufferStream: typeof DeflatedReadBufferStream;
    DicomMetaDictionary: {
      dictionary: Record<string, DictionaryEntry | undefined>;
      /** "00100010" -> "(0010,0010)" */
      punctuateTag(tag: string): string;
    };
  };

  const dcmjs: { data: typeof data };
  export default dcmjs;
}
