/**
 * How the look-up structures are stored in IndexedDB: a row's typed arrays packed into one Blob,
 * its numbers and strings as they are. Chrome reads a Blob out of IndexedDB 2–3× faster than the
 * same bytes as typed arrays inside a record (the 35 MB fuzzy row at 1M papers: 400–700 ms →
 * 150–180 ms on a loaded 2-vCPU VM), and this read is most of a cold worker's first look-up. The
 * arrays come back as views on one buffer, without a copy each.
 *
 * Rows stored before packing (typed arrays inline) still load as they are.
 */

const ARRAY_KINDS = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;

type ArrayKind = keyof typeof ARRAY_KINDS;
type PackableArray = InstanceType<(typeof ARRAY_KINDS)[ArrayKind]>;

/** Where one typed array lives in the packed bytes. */
export interface PackedField {
  name: string;
  kind: ArrayKind;
  /** Byte offset, a multiple of 8 so that every kind's view is aligned. */
  offset: number;
  /** In elements. */
  length: number;
}

/** The stored form: the row's other fields, plus the arrays' bytes and where each one is. */
export interface PackedParts {
  packed: Blob;
  packedFields: PackedField[];
}

function kindOf(value: unknown): ArrayKind | undefined {
  for (const kind of Object.keys(ARRAY_KINDS) as ArrayKind[]) {
    if (value instanceof ARRAY_KINDS[kind]) return kind;
  }
  return undefined;
}

/** A row as stored: every typed-array field moves into one Blob (8-byte aligned), the rest stays. */
export function packRow(row: object): Record<string, unknown> & PackedParts {
  const rest: Record<string, unknown> = {};
  const parts: BlobPart[] = [];
  const packedFields: PackedField[] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(row)) {
    const kind = kindOf(value);
    if (!kind) {
      rest[name] = value;
      continue;
    }
    const array = value as PackableArray;
    const padding = (8 - (offset % 8)) % 8;
    if (padding > 0) parts.push(new Uint8Array(padding));
    offset += padding;
    packedFields.push({ name, kind, offset, length: array.length });
    // A view of exactly its elements: a subarray's buffer may hold more.
    parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    offset += array.byteLength;
  }
  return { ...rest, packed: new Blob(parts), packedFields };
}

export function isPackedRow(value: unknown): value is Record<string, unknown> & PackedParts {
  const row = value as Partial<PackedParts> | null | undefined;
  return (
    typeof row === 'object' &&
    row !== null &&
    row.packed instanceof Blob &&
    Array.isArray(row.packedFields)
  );
}

/**
 * The row with its typed arrays back, from bytes read out of the Blob. A stored row that was
 * never packed comes back as it is. `wait` lets a caller inside an IndexedDB transaction keep it
 * alive while the bytes are read (Dexie.waitFor); a damaged layout throws.
 */
export async function unpackRow(
  value: unknown,
  wait: (read: Promise<ArrayBuffer>) => Promise<ArrayBuffer> = (read) => read,
): Promise<unknown> {
  if (!isPackedRow(value)) return value;
  const { packed, packedFields, ...rest } = value;
  const buffer = await wait(packed.arrayBuffer());
  const row: Record<string, unknown> = { ...rest };
  for (const field of packedFields) {
    const View = ARRAY_KINDS[field.kind] as (typeof ARRAY_KINDS)[ArrayKind] | undefined;
    if (!View || field.offset % 8 !== 0) throw new Error(`Damaged look-up row: ${field.name}`);
    if (field.offset + field.length * View.BYTES_PER_ELEMENT > buffer.byteLength) {
      throw new Error(`Damaged look-up row: ${field.name} runs past the stored bytes`);
    }
    row[field.name] = new View(buffer, field.offset, field.length);
  }
  return row;
}
