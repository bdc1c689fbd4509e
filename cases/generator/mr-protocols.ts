/**
 * Typical 1.5 T acquisition parameters per MR contrast, written into the MR Image module so the
 * headers read like a real protocol.
 */
import type { MrParams } from "./case-def";
import type { MrContrast } from "./tissues";

export const MR_PROTOCOL: Readonly<Record<MrContrast, MrParams>> = {
  T1: { scanningSequence: ["SE"], sequenceVariant: ["SK", "SP"], scanOptions: ["PFP"], tr: 550, te: 10, etl: 3, flip: 90 },
  T2: { scanningSequence: ["SE"], sequenceVariant: ["SK", "SP"], scanOptions: ["PFP"], tr: 3800, te: 100, etl: 17, flip: 90 },
  STIR: { scanningSequence: ["SE", "IR"], sequenceVariant: ["SK", "SP"], scanOptions: ["PFP"], tr: 4200, te: 60, ti: 150, etl: 13, flip: 90 },
  T1FS: { scanningSequence: ["SE"], sequenceVariant: ["SK", "SP"], scanOptions: ["FS"], tr: 600, te: 10, etl: 3, flip: 90 },
  T1FSGD: { scanningSequence: ["SE"], sequenceVariant: ["SK", "SP"], scanOptions: ["FS"], tr: 600, te: 10, etl: 3, flip: 90 },
  T2FS: { scanningSequence: ["SE"], sequenceVariant: ["SK", "SP"], scanOptions: ["FS"], tr: 4000, te: 85, etl: 15, flip: 90 },
};
