import { describe, expect, it } from 'vitest';
import { isPackedRow, packRow, unpackRow } from './packing';

describe('look-up row packing', () => {
  it('round-trips every array kind, views at odd offsets included, and keeps other fields', async () => {
    const bytes = new Uint8Array([9, 1, 2, 3, 4, 5, 6]);
    const row = {
      format: 6,
      revision: 12,
      text: 'quasar lattice',
      // A view into a larger buffer at an odd offset: only its own elements are stored.
      odd: bytes.subarray(1, 6),
      wide: new Uint32Array([1, 2 ** 32 - 1, 7]),
      halves: new Uint16Array([65535, 3]),
      signed: new Int32Array([-5, 5]),
      floats: new Float32Array([1.5, -2.25]),
      doubles: new Float64Array([Math.PI, 2 ** 53 - 1]),
      empty: new Uint32Array(0),
    };
    const packed = packRow(row);
    expect(isPackedRow(packed)).toBe(true);
    expect(packed).not.toHaveProperty('wide');
    for (const field of packed.packedFields) expect(field.offset % 8).toBe(0);
    // What IndexedDB does to a record: a structured clone.
    const back = (await unpackRow(structuredClone(packed))) as typeof row;
    expect(back.format).toBe(6);
    expect(back.text).toBe('quasar lattice');
    expect([...back.odd]).toEqual([1, 2, 3, 4, 5]);
    expect(back.wide).toBeInstanceOf(Uint32Array);
    expect([...back.wide]).toEqual([1, 2 ** 32 - 1, 7]);
    expect([...back.halves]).toEqual([65535, 3]);
    expect([...back.signed]).toEqual([-5, 5]);
    expect([...back.floats]).toEqual([1.5, -2.25]);
    expect([...back.doubles]).toEqual([Math.PI, 2 ** 53 - 1]);
    expect(back.empty).toHaveLength(0);
    expect(back).not.toHaveProperty('packed');
    // Views on one buffer, not a copy each.
    expect(back.wide.buffer).toBe(back.doubles.buffer);
  });

  it('a row stored before packing comes back as it is', async () => {
    const row = { format: 6, codes: new Uint32Array([3, 4]) };
    expect(isPackedRow(row)).toBe(false);
    expect(await unpackRow(row)).toBe(row);
    expect(await unpackRow(undefined)).toBeUndefined();
  });

  it('a damaged layout is an error, not arrays over the wrong bytes', async () => {
    const packed = packRow({ codes: new Uint32Array([1, 2, 3]) });
    const [field] = packed.packedFields;
    if (!field) throw new Error('no field');
    await expect(
      unpackRow({ ...packed, packedFields: [{ ...field, length: 1000 }] }),
    ).rejects.toThrow(/runs past/);
    await expect(unpackRow({ ...packed, packedFields: [{ ...field, offset: 3 }] })).rejects.toThrow(
      /Damaged/,
    );
    await expect(
      unpackRow({ ...packed, packedFields: [{ ...field, kind: 'BigInt64Array' }] }),
    ).rejects.toThrow(/Damaged/);
  });
});
