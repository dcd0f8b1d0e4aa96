import { describe, expect, it } from 'vitest';
import { openIndexDb } from '../db';
import { dropLoadedLookup, flushLookup, matchPapers, upsertPapers } from '../index-store';
import { titleKey } from '../normalize';
import type { IndexPaper } from '../types';
import { LOOKUP_FORMAT, type LookupCore, type LookupFuzzy } from './lookup';
import { isPackedRow, unpackRow } from './packing';

const WORDS = 'quasar lattice boson spinor gauge anomaly vortex plasma soliton kernel'.split(' ');

function papers(count: number): IndexPaper[] {
  return Array.from({ length: count }, (_, index) => {
    const title = `${WORDS[index % 10]} ${WORDS[Math.floor(index / 10) % 10]} transport in heterostructure number ${index}`;
    return {
      id: `arxiv:2402.${String(index).padStart(5, '0')}`,
      title,
      titleKey: titleKey(title),
      authors: [],
      sources: ['import'],
    };
  });
}

describe('persisted look-up format', () => {
  it('structures stored in the previous layout are detected and rebuilt, never read', async () => {
    const db = openIndexDb('title-index-format-1');
    await upsertPapers(db, papers(300));
    await flushLookup(db);
    const core = (await unpackRow((await db.meta.get('lookup:core'))?.value)) as LookupCore;
    const fuzzy = (await unpackRow((await db.meta.get('lookup:fuzzy'))?.value)) as LookupFuzzy;
    expect(core.format).toBe(LOOKUP_FORMAT);
    // Format 1 kept postings as plain 32-bit ordinals and had no skips; a reader of the current
    // layout would decode those bytes as gaps and find the wrong papers.
    const {
      skipFrom: _from,
      skipStart: _start,
      skipOrds: _ords,
      skipOffsets: _offsets,
      ...rest
    } = fuzzy;
    const oldPostings = new Uint32Array(fuzzy.postings.length).fill(7);
    await db.meta.bulkPut([
      { key: 'lookup:core', value: { ...core, format: 1 } },
      { key: 'lookup:fuzzy', value: { ...rest, format: 1, postings: oldPostings } },
    ]);
    dropLoadedLookup(db);

    const [typo] = await matchPapers(db, [
      { ref: 0, title: 'plasma vortex transport in heterostructre number 67', ids: [] },
    ]);
    expect(typo).toMatchObject({ matched: true, id: 'arxiv:2402.00067', method: 'fuzzy' });
    const stored: unknown = (await db.meta.get('lookup:fuzzy'))?.value;
    expect(isPackedRow(stored)).toBe(true);
    const rebuilt = (await unpackRow(stored)) as LookupFuzzy;
    expect(rebuilt.format).toBe(LOOKUP_FORMAT);
    expect(rebuilt.postings).toBeInstanceOf(Uint8Array);
    expect(((await db.meta.get('lookup:core'))?.value as LookupCore).format).toBe(LOOKUP_FORMAT);
  });
});
