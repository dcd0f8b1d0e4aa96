import { describe, expect, it } from 'vitest';
import { mergePageRecords } from './page-memory';

const record = (n: number) => ({
  id: `arxiv:2401.${String(n).padStart(5, '0')}`,
  snapshot: { title: `t${n}`, authors: [] },
});

describe('per-tab page memory', () => {
  it('keeps the newest papers within the cap, refreshing re-seen ones', () => {
    let memory = mergePageRecords(undefined, [1, 2, 3].map(record), 3);
    memory = mergePageRecords(memory, [record(1), record(4)], 3);
    expect(Object.keys(memory)).toEqual([
      'arxiv:2401.00003',
      'arxiv:2401.00001',
      'arxiv:2401.00004',
    ]);
  });

  it('never grows past the cap however much a page sends', () => {
    let memory = {};
    for (let batch = 0; batch < 5; batch += 1) {
      memory = mergePageRecords(
        memory,
        Array.from({ length: 3000 }, (_, i) => record(batch * 3000 + i)),
      );
    }
    expect(Object.keys(memory)).toHaveLength(5000);
    expect(memory).toHaveProperty(['arxiv:2401.14999']);
  });
});
