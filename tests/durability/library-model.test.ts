/**
 * Model-based test of the library: random sequences of what a user does (save, tag, untag,
 * rename/merge/delete tags, notes, status, delete, dismiss, undo, import, backup and restore), sent
 * through the real message handlers, compared after every step with a plain in-memory model.
 * Any divergence is a bug in an operation, its undo, or their interplay — the way data gets lost.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openIndexDb, openLibraryDb, type LibraryDatabase } from '../../lib/db';
import { createHandlers, type PageState } from '../../lib/handlers';
import { upsertPapers } from '../../lib/index-store';
import { backupToText, createBackup } from '../../lib/library/backup';
import { dispatch, type MessageType } from '../../lib/messages';
import type { ReadingStatus } from '../../lib/types';
import { createLedger } from './ledger';

const ledger = createLedger('durability library model');
afterAll(() => ledger.save());

const POOL = ['arxiv:2401.00001', 'arxiv:2401.00002', 'arxiv:2401.00003', 'arxiv:2401.00004', 'arxiv:2401.00005']; // prettier-ignore
const TAGS = ['ml', 'graphs', 'to cite', 'physics'];
const STATUSES: ReadingStatus[] = ['to-read', 'reading', 'read'];

interface ModelPaper {
  tags: string[];
  note: string;
  status: ReadingStatus;
  updatedAt: number;
}
interface Model {
  papers: Map<string, ModelPaper>;
  tags: Set<string>;
  dismissed: Set<string>;
}

const clone = (model: Model): Model => ({
  papers: new Map(
    [...model.papers].map(([id, paper]) => [id, { ...paper, tags: [...paper.tags] }]),
  ),
  tags: new Set(model.tags),
  dismissed: new Set(model.dismissed),
});

type Op =
  | { kind: 'save'; paper: number }
  | { kind: 'tag'; papers: number[]; add: string[]; remove: string[] }
  | { kind: 'note'; paper: number; note: string }
  | { kind: 'status'; papers: number[]; status: ReadingStatus }
  | { kind: 'delete'; papers: number[] }
  | { kind: 'dismiss'; paper: number; dismissed: boolean }
  | { kind: 'createTag'; name: string }
  | { kind: 'renameTag'; from: string; to: string }
  | { kind: 'mergeTags'; sources: string[]; target: string }
  | { kind: 'deleteTag'; name: string }
  | { kind: 'undo' }
  | { kind: 'import'; paper: number }
  | { kind: 'backup' }
  | { kind: 'restore'; mode: 'replace' | 'merge' };

const paperIndex = fc.integer({ min: 0, max: POOL.length - 1 });
const paperSet = fc.uniqueArray(paperIndex, { minLength: 1, maxLength: 3 });
const tag = fc.constantFrom(...TAGS);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('save' as const), paper: paperIndex }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tag' as const), papers: paperSet, add: fc.uniqueArray(tag, { maxLength: 2 }), remove: fc.uniqueArray(tag, { maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('note' as const), paper: paperIndex, note: fc.constantFrom('', 'read §3', 'cite in ch. 2', '<b>not html</b>') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), papers: paperSet, status: fc.constantFrom(...STATUSES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), papers: paperSet }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dismiss' as const), paper: paperIndex, dismissed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createTag' as const), name: tag }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameTag' as const), from: tag, to: tag }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mergeTags' as const), sources: fc.uniqueArray(tag, { minLength: 1, maxLength: 2 }), target: tag }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteTag' as const), name: tag }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), paper: paperIndex }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'backup' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), mode: fc.constantFrom('replace' as const, 'merge' as const) }) },
); // prettier-ignore

function retag(model: Model, sources: string[], target: string | null, now: number): void {
  for (const paper of model.papers.values()) {
    if (!paper.tags.some((name) => sources.includes(name))) continue;
    const kept = paper.tags.filter((name) => !sources.includes(name));
    paper.tags = target && !kept.includes(target) ? [...kept, target] : kept;
    paper.updatedAt = now;
  }
}

/** The model's answer to one operation. */
function apply(model: Model, step: Op, now: number, backup: Model | null): void {
  switch (step.kind) {
    case 'save': {
      const id = POOL[step.paper]!;
      const paper = model.papers.get(id);
      if (paper) paper.updatedAt = now;
      else model.papers.set(id, { tags: [], note: '', status: 'to-read', updatedAt: now });
      model.dismissed.delete(id);
      return;
    }
    case 'tag': {
      step.add.forEach((name) => model.tags.add(name));
      for (const id of step.papers.map((n) => POOL[n]!)) {
        const paper = model.papers.get(id);
        if (!paper) continue;
        const kept = paper.tags.filter((name) => !step.remove.includes(name));
        const tags = [...kept, ...step.add.filter((name) => !kept.includes(name))];
        if (tags.join('\0') === paper.tags.join('\0')) continue;
        paper.tags = tags;
        paper.updatedAt = now;
      }
      return;
    }
    case 'note': {
      const paper = model.papers.get(POOL[step.paper]!);
      if (paper && paper.note !== step.note)
        Object.assign(paper, { note: step.note, updatedAt: now });
      return;
    }
    case 'status':
      for (const id of step.papers.map((n) => POOL[n]!)) {
        const paper = model.papers.get(id);
        if (paper && paper.status !== step.status)
          Object.assign(paper, { status: step.status, updatedAt: now });
      }
      return;
    case 'delete':
      step.papers.forEach((n) => model.papers.delete(POOL[n]!));
      return;
    case 'dismiss':
      if (step.dismissed) model.dismissed.add(POOL[step.paper]!);
      else model.dismissed.delete(POOL[step.paper]!);
      return;
    case 'createTag':
      model.tags.add(step.name);
      return;
    case 'renameTag':
      if (!model.tags.has(step.from) || step.from === step.to) return;
      model.tags.delete(step.from);
      model.tags.add(step.to);
      retag(model, [step.from], step.to, now);
      return;
    case 'mergeTags': {
      model.tags.add(step.target);
      const merging = step.sources.filter((name) => name !== step.target);
      merging.forEach((name) => model.tags.delete(name));
      retag(model, merging, step.target, now);
      return;
    }
    case 'deleteTag':
      model.tags.delete(step.name);
      retag(model, [step.name], null, now);
      return;
    case 'import': {
      const id = POOL[step.paper]!;
      const paper = model.papers.get(id);
      if (paper) paper.updatedAt = now;
      else model.papers.set(id, { tags: [], note: '', status: 'to-read', updatedAt: now });
      return;
    }
    case 'restore': {
      if (!backup) return;
      if (step.mode === 'replace') {
        const restored = clone(backup);
        model.papers = restored.papers;
        model.tags = restored.tags;
        model.dismissed = restored.dismissed;
        return;
      }
      for (const [id, incoming] of backup.papers) {
        const current = model.papers.get(id);
        if (!current) {
          model.papers.set(id, { ...incoming, tags: [...incoming.tags] });
          continue;
        }
        const newer = incoming.updatedAt > current.updatedAt ? incoming : current;
        model.papers.set(id, { ...newer, tags: [...new Set([...current.tags, ...incoming.tags])] });
      }
      backup.tags.forEach((name) => model.tags.add(name));
      backup.dismissed.forEach((id) => model.dismissed.add(id));
      return;
    }
    case 'undo':
    case 'backup':
      return;
  }
}

/** The database, projected onto the model's shape. */
async function observe(db: LibraryDatabase): Promise<Model> {
  const [saved, tags, dismissed] = await Promise.all([db.saved.toArray(), db.tags.toArray(), db.dismissed.toArray()]); // prettier-ignore
  return {
    papers: new Map(saved.map((paper) => [paper.id, { tags: paper.tags, note: paper.note, status: paper.status, updatedAt: paper.updatedAt }])), // prettier-ignore
    tags: new Set(tags.map((row) => row.name)),
    dismissed: new Set(dismissed.map((row) => row.id)),
  };
}

const comparable = (model: Model): unknown => ({
  papers: [...model.papers].sort(([a], [b]) => a.localeCompare(b)).map(([id, paper]) => ({ id, ...paper, tags: [...paper.tags].sort() })), // prettier-ignore
  tags: [...model.tags].sort(),
  dismissed: [...model.dismissed].sort(),
});

const bibtexFor = (id: string): string =>
  `@article{k${id.slice(-1)}, title={Imported paper ${id}}, author={Last, First}, eprint={${id.replace('arxiv:', '')}}, archivePrefix={arXiv}, year=2024}`;

function request(step: Op, backupText: string | null): [MessageType, unknown] | null {
  const ids = (list: number[]): string[] => list.map((n) => POOL[n]!);
  switch (step.kind) {
    case 'save': return ['savePaper', { id: POOL[step.paper] }];
    case 'tag': return ['tagPapers', { ids: ids(step.papers), add: step.add, remove: step.remove }];
    case 'note': return ['setPaperNote', { id: POOL[step.paper], note: step.note }];
    case 'status': return ['setReadingStatus', { ids: ids(step.papers), status: step.status }];
    case 'delete': return ['deletePapers', { ids: ids(step.papers) }];
    case 'dismiss': return ['dismissPaper', { id: POOL[step.paper], dismissed: step.dismissed }];
    case 'createTag': return ['createTag', { name: step.name }];
    case 'renameTag': return ['renameTag', { from: step.from, to: step.to }];
    case 'mergeTags': return ['mergeTags', { sources: step.sources, target: step.target }];
    case 'deleteTag': return ['deleteTag', { name: step.name }];
    case 'import': return ['importLibraryFile', { text: bibtexFor(POOL[step.paper]!), fileName: 'refs.bib' }];
    case 'restore': return backupText ? ['restoreLibrary', { text: backupText, mode: step.mode }] : null;
    case 'undo':
    case 'backup':
      return null;
  }
} // prettier-ignore

let counter = 0;

// Some handlers take their clock from `now`, others from Date.now(): one fake clock for both.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the library against its model', () => {
  it('random sequences of user operations, undo, import and restore keep the library equal to the model', async () => {
    let sequences = 0;
    let operations = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (steps) => {
        counter += 1;
        const indexDb = openIndexDb(`model-index-${counter}`);
        const libraryDb = openLibraryDb(`model-library-${counter}`);
        await upsertPapers(indexDb, POOL.map((id, n) => ({ id, title: `Pool paper ${n}`, titleKey: `poolpaper${n}`, authors: ['A'], sources: ['import' as const] }))); // prettier-ignore
        let clock = 1000;
        const pageState: PageState = {
          remember: async () => undefined,
          recall: async () => undefined,
        };
        const handlers = createHandlers({ indexDb, libraryDb, pageState, now: () => clock });
        let model: Model = { papers: new Map(), tags: new Set(), dismissed: new Set() };
        let backup: { text: string; model: Model } | null = null;
        let lastUndo: { token: string; before: Model } | null = null;
        for (const step of steps) {
          clock += 1;
          vi.setSystemTime(clock);
          if (step.kind === 'backup') {
            backup = { text: backupToText(await createBackup(libraryDb)), model: clone(model) };
          } else if (step.kind === 'undo') {
            if (lastUndo) {
              const reply = await dispatch(handlers, { type: 'undoLibraryChange', payload: { undo: lastUndo.token } }, { kind: 'extension' }); // prettier-ignore
              expect(reply).toEqual({ ok: true, data: { undone: true } });
              model = lastUndo.before;
              lastUndo = null;
            }
          } else {
            const call = request(step, backup?.text ?? null);
            if (!call) continue;
            const before = clone(model);
            const reply = (await dispatch(handlers, { type: call[0], payload: call[1] }, { kind: 'extension' })); // prettier-ignore
            const failedOnPurpose = !reply.ok && /^No tag /.test(reply.error);
            expect(reply.ok || failedOnPurpose, `${step.kind}: ${JSON.stringify(reply)}`).toBe(
              true,
            );
            apply(model, step, clock, backup?.model ?? null);
            const token = reply.ok ? (reply.data as { undo?: string }).undo : undefined;
            lastUndo = token ? { token, before } : null;
          }
          operations += 1;
          expect(comparable(await observe(libraryDb)), `after ${steps.indexOf(step) + 1} steps: ${JSON.stringify(steps.slice(0, steps.indexOf(step) + 1))}`).toEqual(comparable(model)); // prettier-ignore
        }
        // Every tag a paper carries exists as a tag (the popup's filters and colours depend on it).
        const observed = await observe(libraryDb);
        for (const paper of observed.papers.values()) {
          for (const name of paper.tags) expect(observed.tags.has(name), name).toBe(true);
        }
        sequences += 1;
        libraryDb.close();
        indexDb.close();
      }),
      { numRuns: Number(process.env.PAPERLIGHT_MODEL_RUNS ?? 40) },
    );
    ledger.figure('model-based library sequences', sequences);
    ledger.figure('model-based library operations', operations);
    ledger.fault({ fault: `${operations} random library operations (incl. undo, import, backup/restore) vs an in-memory model`, outcome: 'library equal to the model after every step', dataLost: 0 }); // prettier-ignore
  });
});
