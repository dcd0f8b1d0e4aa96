/**
 * Importing a papers file into the index from the options page. A file can be hundreds of MB, so
 * the page uploads it in chunks of at most IMPORT_CHUNK_CHARS (lib/import-upload.ts) (`uploadImportChunk`), then asks for
 * the import of the upload (`importPaperFile` with `upload`) and polls `getImportProgress` while the
 * papers are written. The import itself stays all-or-nothing (one transaction). Uploads live in the
 * worker's memory only: a worker stopped mid-upload loses it, and the import says to try again.
 */
import type { IndexDatabase } from '../db';
import { upsertPapers } from '../index-store';
import type { Handlers, ImportProgress } from '../messages';
import { parseIndexFile } from '../sync/file-import';

/** Largest upload accepted, in characters. */
export const MAX_IMPORT_CHARS = 1024 * 1024 * 1024;
/** An upload nobody finished is dropped after this long. */
const UPLOAD_TTL_MS = 10 * 60 * 1000;

export type ImportMessageType = 'importPaperFile' | 'uploadImportChunk' | 'getImportProgress';

interface Upload {
  chunks: string[];
  chars: number;
  touchedAt: number;
}

export function createImportHandlers(
  indexDb: IndexDatabase,
  now: () => number = Date.now,
): Pick<Handlers, ImportMessageType> {
  const uploads = new Map<string, Upload>();
  const progress = new Map<string, ImportProgress>();

  const dropStale = (): void => {
    for (const [id, upload] of uploads) {
      if (now() - upload.touchedAt > UPLOAD_TTL_MS) uploads.delete(id);
    }
  };

  return {
    uploadImportChunk({ upload: uploadId, index, text }) {
      dropStale();
      const upload = uploads.get(uploadId) ?? { chunks: [], chars: 0, touchedAt: now() };
      if (index !== upload.chunks.length) {
        uploads.delete(uploadId);
        return Promise.reject(
          new Error('Part of the file went missing on its way to Paperlight; try again.'),
        );
      }
      if (upload.chars + text.length > MAX_IMPORT_CHARS) {
        uploads.delete(uploadId);
        return Promise.reject(new Error('This file is too large to import.'));
      }
      upload.chunks.push(text);
      upload.chars += text.length;
      upload.touchedAt = now();
      uploads.set(uploadId, upload);
      return Promise.resolve({ received: upload.chars });
    },

    getImportProgress({ upload: uploadId }) {
      return Promise.resolve(progress.get(uploadId) ?? null);
    },

    async importPaperFile({ text, upload: uploadId, fileName }) {
      let source = text;
      if (uploadId !== undefined) {
        const upload = uploads.get(uploadId);
        uploads.delete(uploadId);
        if (!upload) {
          throw new Error(
            'Paperlight restarted while the file was sent; nothing was imported. Try again.',
          );
        }
        source = upload.chunks.join('');
      }
      if (source === undefined) throw new Error('No file to import.');
      const track = (state: ImportProgress): void => {
        if (uploadId !== undefined) progress.set(uploadId, state);
      };
      try {
        track({ phase: 'parsing', done: 0, total: 0 });
        // Any format the index can read (lib/sync/file-import.ts); all-or-nothing.
        const parsed = parseIndexFile(source, fileName);
        if (!parsed.ok) return parsed;
        const total = parsed.papers.length;
        track({ phase: 'writing', done: 0, total });
        const { added, updated } = await upsertPapers(indexDb, parsed.papers, {
          atomic: true,
          onProgress: ({ done }) => track({ phase: 'writing', done, total }),
        });
        track({ phase: 'done', done: total, total });
        return { ok: true, added, updated, format: parsed.format, skipped: parsed.skipped.length };
      } finally {
        // Kept briefly so the page's last poll sees the end; then forgotten.
        if (uploadId !== undefined) setTimeout(() => progress.delete(uploadId), 5000);
      }
    },
  };
}
