import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, PROJECT_ROOT, readReal, SKIP_SHARED_REASON } from '../../tests/shared';
import { openIndexDb, openLibraryDb, type LibraryDatabase } from '../db';
import { EXPORT_FIXTURE_LIBRARY } from '../export/fixture-library';
import { parseCitationFile } from '../formats/citation';
import { createLibraryHandlers } from '../handlers/library';
import { upsertPapers } from '../index-store';
import { titleKey } from '../normalize';
import { memorySettingsStore } from '../settings';
import type { IndexPaper } from '../types';
import { backupToText, createBackup, parseBackup, restoreBackup } from './backup';
import { revertChange } from './change';
import { deletePapers, dismissPaper, setNote, setReadingStatus, tagPapers } from './edit';
import { EMPTY_FILTER, filterLibrary } from './filters';
import { importCitationRecords, localIdFor } from './import';
import { createTag, deleteTag, mergeTags, normalizeTagName, renameTag, setTagColor } from './tags';

let counter = 0;
function freshLibrary(): LibraryDatabase {
  counter += 1;
  return openLibraryDb(`library-test-${counter}-${Math.random()}`);
}

async function seeded(): Promise<LibraryDatabase> {
  const db = freshLibrary();
  await db.interests.bulkPut([
    { id: 'interest-1', query: 'diffusion OR "score matching"', createdAt: 1 },
    // Key order as replaceInterests writes it (tag last): a restore must give it back as is.
    { id: 'interest-2', query: 'author:Vaswani', createdAt: 2, tag: 'transformers' },
  ]);
  await db.saved.bulkPut(structuredClone(EXPORT_FIXTURE_LIBRARY));
  await db.tags.bulkPut([
    { name: 'transformers', color: '#2563eb', createdAt: 1 },
    { name: 'to cite', color: '#0f766e', createdAt: 2 },
    { name: 'quantum', color: '#b45309', createdAt: 3 },
  ]);
  await db.dismissed.put({ id: 'arxiv:2401.00001', at: 5 });
  return db;
}

async function dump(db: LibraryDatabase): Promise<unknown> {
  const [saved, tags, dismissed, interests] = await Promise.all([
    db.saved.orderBy('id').toArray(),
    db.tags.orderBy('name').toArray(),
    db.dismissed.orderBy('id').toArray(),
    db.interests.orderBy('id').toArray(),
  ]);
  return { saved, tags, dismissed, interests };
}

describe('tags', () => {
  it('normalizes names: trimmed, single-spaced, no commas', () => {
    expect(normalizeTagName('  deep,  learning ; ')).toBe('deep learning');
  });

  it('create is case-insensitive and keeps the first spelling', async () => {
    const db = await seeded();
    const { tag } = await createTag(db, 'Transformers');
    expect(tag.name).toBe('transformers');
    await expect(createTag(db, ' , ')).rejects.toThrow(/name/);
    await expect(createTag(db, 'x', 'red')).rejects.toThrow(/#rrggbb/);
  });

  it('rename updates every paper, and undo puts everything back', async () => {
    const db = await seeded();
    const before = await dump(db);
    const { change, papers, target } = await renameTag(db, 'transformers', 'attention', 10);
    expect({ papers, target }).toEqual({ papers: 2, target: 'attention' });
    expect((await db.saved.get('arxiv:1706.03762'))?.tags).toEqual(['to cite', 'attention']);
    expect(await db.tags.get('transformers')).toBeUndefined();
    expect((await db.tags.get('attention'))?.color).toBe('#2563eb');
    await revertChange(db, change);
    expect(await dump(db)).toEqual(before);
  });

  it('renaming onto an existing tag merges; merge and delete can be undone', async () => {
    const db = await seeded();
    const before = await dump(db);
    const renamed = await renameTag(db, 'quantum', 'To Cite', 10);
    expect(renamed.target).toBe('to cite');
    expect((await db.saved.get('doi:10.1126/science.1252319'))?.tags).toEqual(['to cite']);
    await revertChange(db, renamed.change);
    expect(await dump(db)).toEqual(before);

    const merged = await mergeTags(db, ['transformers', 'quantum'], 'reading group', 10);
    expect(merged.papers).toBe(3);
    expect((await db.saved.get('arxiv:1706.03762'))?.tags).toEqual(['to cite', 'reading group']);
    expect(await db.tags.count()).toBe(2);
    await revertChange(db, merged.change);
    expect(await dump(db)).toEqual(before);

    const deleted = await deleteTag(db, 'transformers', 10);
    expect(deleted.papers).toBe(2);
    expect(await db.saved.where('tags').equals('transformers').count()).toBe(0);
    await revertChange(db, deleted.change);
    expect(await dump(db)).toEqual(before);

    const colour = await setTagColor(db, 'quantum', '#123456');
    expect((await db.tags.get('quantum'))?.color).toBe('#123456');
    await revertChange(db, colour);
    expect(await dump(db)).toEqual(before);
  });
});

describe('edits with undo', () => {
  it('bulk tag, status, note, delete and dismiss all revert exactly', async () => {
    const db = await seeded();
    const before = await dump(db);
    const ids = ['arxiv:1706.03762', 'arxiv:1512.03385', 'arxiv:missing'];
    const tagged = await tagPapers(
      db,
      ids,
      { add: ['New one', 'TRANSFORMERS'], remove: ['to cite'] },
      10,
    );
    expect(tagged.changed).toBe(2);
    expect((await db.saved.get('arxiv:1706.03762'))?.tags).toEqual(['transformers', 'New one']);
    expect(await db.tags.get('New one')).toBeDefined();
    await revertChange(db, tagged.change);
    expect(await dump(db)).toEqual(before);

    const status = await setReadingStatus(db, ids, 'reading', 10);
    expect(status.changed).toBe(2);
    await revertChange(db, status.change);
    const note = await setNote(db, 'arxiv:1512.03385', 'A note', 10);
    expect((await db.saved.get('arxiv:1512.03385'))?.note).toBe('A note');
    await revertChange(db, note.change);
    const removed = await deletePapers(db, ids);
    expect(removed.removed).toBe(2);
    expect(await db.saved.count()).toBe(3);
    await revertChange(db, removed.change);
    const dismissal = await dismissPaper(db, 'arxiv:2401.00001', false);
    expect(await db.dismissed.count()).toBe(0);
    await revertChange(db, dismissal);
    expect(await dump(db)).toEqual(before);
  });
});

describe('backup and restore', () => {
  it('backup → wipe → restore gives exactly the same library', async () => {
    const db = await seeded();
    const before = await dump(db);
    const settings = { ...(await memorySettingsStore().get()), showBadgesOnPages: false };
    const text = backupToText(await createBackup(db, settings));
    const interestsBefore = JSON.stringify(await db.interests.orderBy('id').toArray());
    await db.delete();
    const restoredDb = openLibraryDb(db.name);
    const parsed = parseBackup(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.backup.settings?.showBadgesOnPages).toBe(false);
    expect(parsed.backup.interests).toHaveLength(2);
    await restoreBackup(restoredDb, parsed.backup, 'replace');
    expect(await dump(restoredDb)).toEqual(before);
    // Interests come back byte for byte (key order too: what the relevance signature hashes).
    expect(JSON.stringify(await restoredDb.interests.orderBy('id').toArray())).toBe(
      interestsBefore,
    );
  });

  it.each([
    ['library-v1.json', undefined],
    ['library-v2.json', false],
  ])(
    'restores an older backup (%s, before interests were part of it) and keeps the stated interests',
    async (file, showBadgesOnPages) => {
      const text = readFileSync(join(PROJECT_ROOT, 'tests/fixtures/backup', file), 'utf8');
      const parsed = parseBackup(text);
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.backup.version).toBe(3);
      expect(parsed.backup.settings?.showBadgesOnPages).toBe(showBadgesOnPages);
      expect(parsed.backup.interests).toBeUndefined();
      const db = await seeded();
      expect(await restoreBackup(db, parsed.backup, 'replace')).toEqual({
        saved: 2,
        tags: 1,
        dismissed: 1,
        interests: 0,
      });
      expect((await db.saved.get('arxiv:1706.03762'))?.tags).toEqual(['transformers']);
      expect(await db.saved.count()).toBe(2);
      // The backup says nothing about interests: the ones stated since stay.
      expect((await db.interests.toArray()).map((interest) => interest.id).sort()).toEqual([
        'interest-1',
        'interest-2',
      ]);
    },
  );

  it('replace puts back exactly the backed-up interests; merge adds only new rules', async () => {
    const db = await seeded();
    const backup = await createBackup(db);
    await db.interests.clear();
    await db.interests.put({ id: 'later', query: 'diffusion OR "score matching"', createdAt: 9 });
    expect(await restoreBackup(db, backup, 'merge')).toMatchObject({ interests: 1 });
    expect((await db.interests.toArray()).map((interest) => interest.id).sort()).toEqual([
      'interest-2',
      'later',
    ]);
    expect(await restoreBackup(db, backup, 'replace')).toMatchObject({ interests: 2 });
    expect(await db.interests.orderBy('id').toArray()).toEqual(backup.interests);
  });

  it('rejects a backup whose interest rule does not parse, before writing anything', async () => {
    const db = await seeded();
    const before = await dump(db);
    const backup = JSON.parse(backupToText(await createBackup(db))) as {
      interests: { query: string }[];
    };
    backup.interests[0]!.query = '(unclosed';
    const parsed = parseBackup(JSON.stringify(backup));
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/interests\.0/) });
    expect(await dump(db)).toEqual(before);
  });

  it('rejects damaged, foreign and newer files before writing anything', async () => {
    const db = await seeded();
    const before = await dump(db);
    const good = JSON.parse(backupToText(await createBackup(db))) as { saved: { note: unknown }[] };
    good.saved[1]!.note = 42;
    const damaged = parseBackup(JSON.stringify(good));
    expect(damaged).toMatchObject({ ok: false, error: expect.stringMatching(/saved\.1\.note/) });
    expect(parseBackup('{"format":"something-else"}')).toMatchObject({ ok: false });
    expect(parseBackup('{"format":"paperlight-library","version":99}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/newer/),
    });
    expect(parseBackup('not json')).toMatchObject({ ok: false });
    expect(await dump(db)).toEqual(before);
  });

  it('merge keeps both libraries, the newer edit of a shared paper, and the union of its tags', async () => {
    const db = await seeded();
    const backup = await createBackup(db);
    await tagPapers(db, ['arxiv:1706.03762'], { add: ['later'] }, Date.now() + 1000);
    await deletePapers(db, ['arxiv:1512.03385']);
    const index = backup.saved.findIndex((paper) => paper.id === 'arxiv:1706.03762');
    backup.saved[index] = { ...backup.saved[index]!, tags: ['from-backup'] };
    await restoreBackup(db, backup, 'merge');
    expect(await db.saved.count()).toBe(5);
    const merged = await db.saved.get('arxiv:1706.03762');
    expect(merged?.tags).toEqual(['transformers', 'to cite', 'later', 'from-backup']);
  });
});

function indexPaper(id: string, title: string, extra: Partial<IndexPaper> = {}): IndexPaper {
  return { id, title, titleKey: titleKey(title), authors: [], sources: ['import'], ...extra };
}

describe.skipIf(!hasShared)(
  `importing real files into the library ${hasShared ? '' : SKIP_SHARED_REASON}`,
  () => {
    it('matches to the index where it can and keeps the rest with their own metadata', async () => {
      const indexDb = openIndexDb(`import-index-${Math.random()}`);
      await upsertPapers(indexDb, [
        indexPaper('arxiv:1401.2910', 'Defining and detecting quantum speedup', {
          abstract: 'From the index.',
          authors: ['Troels F. Rønnow'],
        }),
        indexPaper(
          'arxiv:1703.10593',
          'Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks',
        ),
      ]);
      const db = freshLibrary();
      const files = [
        'bibtex/bbt-bibtex-export-arxiv-items-issue460.bib',
        'zotero/bbt-json-export-arxiv-items-issue460.json',
        'papermemory/memory-export-3-papers-2022-08.json',
        'bibtex/jabref-library-filedirectory-issue1058.bib',
      ];
      const summaries = [];
      for (const file of files) {
        const parsed = parseCitationFile(readReal(file), file);
        if (!parsed.ok) throw new Error(parsed.error);
        summaries.push(await importCitationRecords(db, indexDb, parsed.records, 1000));
      }
      expect(summaries.map(({ added, updated, matched }) => ({ added, updated, matched }))).toEqual(
        [
          { added: 3, updated: 0, matched: 1 },
          { added: 0, updated: 3, matched: 1 },
          { added: 3, updated: 0, matched: 1 },
          { added: 2, updated: 0, matched: 0 },
        ],
      );
      const speedup = await db.saved.get('arxiv:1401.2910');
      expect(speedup?.snapshot.abstract).toBe('From the index.');
      expect(speedup?.snapshot.venue).toBe('Science');
      expect(speedup?.citationKey).toBe('Ronnow.2014.Defining');
      expect(speedup?.tags).toEqual(['Quantum Physics']);
      const sen = await db.saved.get('arxiv:1508.05387');
      expect(sen?.note).toMatch(/studying the papers of Ashoke/);
      expect(sen?.tags).toContain('_tablet');
      const talk = await db.saved.get(
        localIdFor(
          'Amostragem em duas fases adaptativa para estimar a abundância de populações raras',
        ),
      );
      expect(talk?.snapshot.authors).toEqual(['Anabela Afonso', 'Russell Alpizar-Jara']);
      expect(await db.tags.get('Quantum Physics')).toBeDefined();
    });
  },
);

describe('library handlers', () => {
  it('edits through messages return undo tokens that work once', async () => {
    const libraryDb = await seeded();
    const handlers = createLibraryHandlers({
      libraryDb,
      indexDb: openIndexDb(`h-${Math.random()}`),
    });
    const sender = { kind: 'extension' } as const;
    const before = await dump(libraryDb);
    const result = await handlers.deletePapers({ ids: ['arxiv:1706.03762'] }, sender);
    expect(result.removed).toBe(1);
    expect(await handlers.undoLibraryChange({ undo: result.undo! }, sender)).toEqual({
      undone: true,
    });
    expect(await handlers.undoLibraryChange({ undo: result.undo! }, sender)).toEqual({
      undone: false,
    });
    expect(await dump(libraryDb)).toEqual(before);
    const unchanged = await handlers.setReadingStatus(
      { ids: ['arxiv:1706.03762'], status: 'read' },
      sender,
    );
    expect(unchanged).toEqual({ changed: 0 });
    expect(
      await handlers.updateSettings({ patch: { showBadgesOnPages: false } }, sender),
    ).toMatchObject({
      showBadgesOnPages: false,
    });
    expect(await handlers.restoreLibrary({ text: '{}', mode: 'replace' }, sender)).toMatchObject({
      ok: false,
    });
    expect(await dump(libraryDb)).toEqual(before);
  });

  it('lists the papers of a tab with their saved and dismissed state', async () => {
    const libraryDb = await seeded();
    const handlers = createLibraryHandlers({
      libraryDb,
      indexDb: openIndexDb(`h-${Math.random()}`),
      tabPages: {
        list: async (tabId) =>
          tabId === 7
            ? [
                { id: 'arxiv:1706.03762', snapshot: { title: 'Attention', authors: [] } },
                { id: 'arxiv:2401.00001', snapshot: { title: 'Other', authors: [] } },
              ]
            : [],
      },
    });
    const { papers } = await handlers.getTabPapers({ tabId: 7 }, { kind: 'extension' });
    expect(papers.map(({ id, saved, dismissed }) => ({ id, saved, dismissed }))).toEqual([
      { id: 'arxiv:1706.03762', saved: true, dismissed: false },
      { id: 'arxiv:2401.00001', saved: false, dismissed: true },
    ]);
    await handlers.savePaperFromTab({ tabId: 7, id: 'arxiv:2401.00001' }, { kind: 'extension' });
    expect(await libraryDb.saved.get('arxiv:2401.00001')).toBeDefined();
    await expect(
      handlers.savePaperFromTab({ tabId: 8, id: 'arxiv:2401.00001' }, { kind: 'extension' }),
    ).rejects.toThrow(/not on this tab/);
  });
});

describe('filters', () => {
  const papers = EXPORT_FIXTURE_LIBRARY;
  const ids = (list: { id: string }[]): string[] => list.map((paper) => paper.id);

  it('tags AND / OR', () => {
    expect(
      ids(
        filterLibrary(papers, { ...EMPTY_FILTER, tags: ['transformers', 'to cite'] }, 'saved-asc'),
      ),
    ).toEqual(['arxiv:1706.03762']);
    expect(
      ids(
        filterLibrary(
          papers,
          { ...EMPTY_FILTER, tags: ['to cite', 'quantum'], tagMode: 'or' },
          'saved-asc',
        ),
      ),
    ).toEqual(['arxiv:1706.03762', 'doi:10.1126/science.1252319']);
  });

  it('status, source/venue, dates and relevance', () => {
    expect(
      ids(filterLibrary(papers, { ...EMPTY_FILTER, statuses: ['reading', 'read'] }, 'saved-asc')),
    ).toEqual(['arxiv:1706.03762', 'doi:10.1126/science.1252319']);
    expect(
      ids(filterLibrary(papers, { ...EMPTY_FILTER, source: 'openreview' }, 'saved-asc')),
    ).toEqual(['openreview:HostileRow1']);
    expect(ids(filterLibrary(papers, { ...EMPTY_FILTER, source: 'cvpr' }, 'saved-asc'))).toEqual([
      'arxiv:1512.03385',
    ]);
    expect(ids(filterLibrary(papers, { ...EMPTY_FILTER, source: 'cs.lg' }, 'saved-asc'))).toEqual([
      'arxiv:1706.03762',
      'arxiv:1706.09999',
    ]);
    expect(
      ids(filterLibrary(papers, { ...EMPTY_FILTER, from: '2015', to: '2017-06' }, 'published-asc')),
    ).toEqual(['arxiv:1512.03385', 'arxiv:1706.03762']);
    const relevance = new Map([
      ['arxiv:1512.03385', 0.9],
      ['arxiv:1706.03762', 0.4],
    ]);
    expect(
      ids(filterLibrary(papers, { ...EMPTY_FILTER, minRelevance: 0.3 }, 'relevance', relevance)),
    ).toEqual(['arxiv:1512.03385', 'arxiv:1706.03762']);
  });

  it('sorts by title, and by saving date both ways', () => {
    expect(ids(filterLibrary(papers, EMPTY_FILTER, 'title'))[0]).toBe('openreview:HostileRow1');
    expect(ids(filterLibrary(papers, EMPTY_FILTER, 'saved-desc'))[0]).toBe('arxiv:1706.09999');
  });
});
