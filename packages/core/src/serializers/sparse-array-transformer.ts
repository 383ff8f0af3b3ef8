import type { SuperJSON } from "superjson";

// superjson stores an array hole as null (JSON has no holes). Arrays with holes are stored as
// their length and present entries instead; superjson still walks the entries, so a Date inside
// a sparse array is kept too.

/** Name of the custom superjson type a {@link SuperJsonSerializer} registers. */
export const SPARSE_ARRAY_TYPE = "alsek.sparse-array";

interface StoredSparseArray {
  length: number;
  entries: Record<string, unknown>;
}

function hasHoles(value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!(i in value)) return true;
  return false;
}

/** Register the sparse-array type on `instance` (idempotent: registering again replaces it). */
export function registerSparseArrays(instance: SuperJSON): void {
  instance.registerCustom<unknown[], never>(
    {
      isApplicable: hasHoles,
      serialize: (array) => {
        const entries: Record<string, unknown> = {};
        for (let i = 0; i < array.length; i++) if (i in array) entries[i] = array[i];
        // superjson walks this like any plain object; its JSONValue type cannot say "any value".
        return { length: array.length, entries } satisfies StoredSparseArray as never;
      },
      deserialize: (stored) => {
        const { length, entries } = stored as StoredSparseArray;
        const array = new Array<unknown>(length);
        for (const key of Object.keys(entries)) array[Number(key)] = entries[key];
        return array;
      },
    },
    SPARSE_ARRAY_TYPE,
  );
}
