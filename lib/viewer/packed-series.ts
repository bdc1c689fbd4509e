/**
 * The series list in the shape it crosses from the server to the browser. A series' instances mostly repeat
 * the same orientation, spacing, thickness and matrix, and each URL repeats its id: written out per instance,
 * a 300-slice CT put about 100 KB of props into the case page's RSC payload (all of the page's HTML but 9 KB),
 * to be serialised on the server and parsed before the viewer could start. Packed, values shared by every
 * instance are sent once and the rest as one array per field. Pure, safe on the server and in the browser.
 */
import type { ViewerInstance, ViewerSeries } from "./types";

type InstanceField = Exclude<keyof ViewerInstance, "id" | "url">;

const FIELDS = [
  "instanceNumber",
  "position",
  "orientation",
  "sliceLocation",
  "sliceThickness",
  "pixelSpacing",
  "rows",
  "columns",
  "frames",
] as const satisfies readonly InstanceField[];

// Every field but id and url must be listed, or unpacking would drop it.
type Missing = Exclude<InstanceField, (typeof FIELDS)[number]>;
const allFieldsListed: [Missing] extends [never] ? true : Missing = true;
void allFieldsListed;

export type PackedSeries = Omit<ViewerSeries, "instances"> & {
  ids: string[];
  /** Each instance's URL is urlPrefix + id; else `urls` lists them. */
  urlPrefix: string | null;
  urls?: string[];
  /** Values every instance has. */
  shared: Partial<Pick<ViewerInstance, InstanceField>>;
  /** One value per instance, in `ids` order, for the fields that differ. */
  columns: { [K in InstanceField]?: ViewerInstance[K][] };
};

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function commonUrlPrefix(instances: readonly ViewerInstance[]): string | null {
  const first = instances[0];
  if (!first || !first.url.endsWith(first.id)) return null;
  const prefix = first.url.slice(0, first.url.length - first.id.length);
  return instances.every((i) => i.url === prefix + i.id) ? prefix : null;
}

/** The compact form of a series list; unpackSeries gives the same list back. */
export function packSeries(series: readonly ViewerSeries[]): PackedSeries[] {
  return series.map(({ instances, ...rest }) => {
    const shared: PackedSeries["shared"] = {};
    const columns: PackedSeries["columns"] = {};
    for (const field of FIELDS) {
      const first = instances[0]?.[field];
      if (instances.length > 0 && instances.every((i) => same(i[field], first))) (shared as Record<string, unknown>)[field] = first;
      else (columns as Record<string, unknown>)[field] = instances.map((i) => i[field]);
    }
    const urlPrefix = commonUrlPrefix(instances);
    return {
      ...rest,
      ids: instances.map((i) => i.id),
      urlPrefix,
      ...(urlPrefix === null ? { urls: instances.map((i) => i.url) } : {}),
      shared,
      columns,
    };
  });
}

/** The series list packSeries was given. */
export function unpackSeries(packed: readonly PackedSeries[]): ViewerSeries[] {
  return packed.map(({ ids, urlPrefix, urls, shared, columns, ...rest }) => ({
    ...rest,
    instances: ids.map((id, n) => {
      const instance: Record<string, unknown> = { id, url: urlPrefix !== null ? urlPrefix + id : (urls?.[n] ?? "") };
      for (const field of FIELDS) {
        const column = columns[field];
        // Arrays are copied so no two instances share one (the viewer's stacks are built per instance).
        const value = column ? column[n] : shared[field];
        instance[field] = Array.isArray(value) ? [...value] : value;
      }
      return instance as ViewerInstance;
    }),
  }));
}
