/**
 * Typed-array building blocks for the look-up structures: growable arrays, an open-addressing
 * hash table keyed by 53-bit hashes, and LEB128 varints. Typed arrays keep a million entries in a
 * few MB and cross structured clone (IndexedDB, postMessage) as flat buffers.
 */

export class GrowableU32 {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  /** A right-sized copy. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

export class GrowableF64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }
}

/** 53-bit hash → unsigned value; the first value set for a key wins. */
export class HashTable53 {
  private keys: Float64Array;
  private values: Int32Array;
  private size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots).fill(-1);
  }

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = (key >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const value = this.values[slot] ?? -1;
      if (value < 0) return -1;
      if (this.keys[slot] === key) return value;
    }
  }

  setIfAbsent(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let slot = (key >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const existing = this.values[slot] ?? -1;
      if (existing < 0) {
        this.keys[slot] = key;
        this.values[slot] = value;
        this.size += 1;
        return;
      }
      if (this.keys[slot] === key) return;
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2).fill(-1);
    this.size = 0;
    values.forEach((value, slot) => {
      if (value >= 0) this.setIfAbsent(keys[slot] ?? 0, value);
    });
  }
}

/** Index of the first element ≥ `value` in a sorted array. */
export function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Writes `value` as LEB128 at `at`; returns the position after it. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  let rest = value;
  let position = at;
  while (rest >= 0x80) {
    out[position] = (rest & 0x7f) | 0x80;
    position += 1;
    rest = Math.floor(rest / 128);
  }
  out[position] = rest;
  return position + 1;
}

export function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 128)) size += 1;
  return size;
}

/**
 * Ordinals packed in 3 bytes each (little-endian): a million papers' sort orders in 3 MB instead
 * of 4. Ordinals stay below 2^24 (16.7 million papers; the builder refuses more).
 */
export const U24_LIMIT = 0x1000000;

export function packU24(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 3);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] ?? 0;
    bytes[index * 3] = value & 0xff;
    bytes[index * 3 + 1] = (value >>> 8) & 0xff;
    bytes[index * 3 + 2] = value >>> 16;
  }
  return bytes;
}

export function unpackU24(bytes: Uint8Array): Uint32Array {
  const values = new Uint32Array(bytes.length / 3);
  for (let index = 0; index < values.length; index += 1) values[index] = readU24(bytes, index);
  return values;
}

export function readU24(bytes: Uint8Array, index: number): number {
  const at = index * 3;
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
}
