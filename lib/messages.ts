/**
 * The one message protocol between the extension's contexts. Every request is validated with its
 * schema in the background before a handler sees it; `audience` says who may send it:
 * `page` = content scripts (and extension pages), `extension` = extension pages only.
 * Content scripts may only look up and act on the papers of their own page.
 */
import { z } from 'zod';
import { IMPORT_CHUNK_CHARS } from './import-upload';
import { NOTE_ABSTRACTS_MAX } from './page-limits';
import type { HealthEvent } from './index-health';
import {
  libraryAudience,
  libraryRequestSchemas,
  type LibraryResponseMap,
} from './library/protocol';
import type { MatchMethod } from './match';
import {
  relevanceAudience,
  relevanceRequestSchemas,
  type RelevanceResponseMap,
} from './relevance/protocol';
import type { EntryRelevance } from './relevance/types';
import {
  siteAccessAudience,
  siteAccessRequestSchemas,
  type SiteAccessResponseMap,
} from './site-access';
import { isQuotaError } from './sync/errors';
import { syncAudience, syncRequestSchemas, type SyncResponseMap } from './sync/protocol';
import type { CanonicalId, IndexPaper, SavedPaper } from './types';

const id = z.string().min(3).max(300);
const shortText = z.string().max(2000);
const uploadId = z.string().min(8).max(100);

/** Where an import of an uploaded file is (`getImportProgress`). */
export interface ImportProgress {
  phase: 'parsing' | 'writing' | 'done';
  done: number;
  total: number;
}

export const pageEntrySchema = z.object({
  ref: z.number().int().nonnegative(),
  title: shortText,
  ids: z.array(id).max(10),
  authors: z.array(z.string().max(500)).max(200).optional(),
  abstract: z.string().max(20_000).optional(),
  /**
   * The page shows an abstract that this entry leaves out: a page's look-up carries no abstracts
   * (2,000 of them are megabytes to pass between processes before any badge is drawn). They follow
   * with `noteAbstracts`, for the entries `abstractsWanted` names.
   */
  hasAbstract: z.boolean().optional(),
});
export type PageEntry = z.infer<typeof pageEntrySchema>;

const abstractOffer = z.object({ ref: pageEntrySchema.shape.ref, ids: pageEntrySchema.shape.ids });

export const requestSchemas = {
  lookupEntries: z.object({
    entries: z.array(pageEntrySchema).max(20_000),
    /**
     * `separate`: reply with matches and saved state at once, and leave relevance to a
     * `scoreEntries` request (`relevancePending` in the reply says one is worth sending), so a
     * cold relevance model never holds up a page's badges. Default `inline` (scores in the reply).
     */
    relevance: z.enum(['inline', 'separate']).optional(),
  }),
  /** Relevance for entries a `lookupEntries` answered, with the ids it gave them. */
  scoreEntries: z.object({
    entries: z.array(pageEntrySchema.extend({ id: id.optional() })).max(20_000),
  }),
  /** Which of the abstracts a page shows the index lacks (its papers with an id and an abstract). */
  abstractsWanted: z.object({ entries: z.array(abstractOffer).max(20_000) }),
  /** Abstracts a page shows, for the entries `abstractsWanted` named: a few hundred at a time. */
  noteAbstracts: z.object({
    entries: z
      .array(pageEntrySchema.extend({ abstract: z.string().min(1).max(20_000) }))
      .max(NOTE_ABSTRACTS_MAX),
  }),
  savePaper: z.object({ id }),
  unsavePaper: z.object({ id }),
  getPaper: z.object({ id }),
  /** A papers file: its text, or an `upload` sent in chunks first (lib/handlers/import.ts). */
  importPaperFile: z
    .object({
      text: z.string().optional(),
      upload: uploadId.optional(),
      fileName: z.string().max(500),
    })
    .refine((request) => (request.text === undefined) !== (request.upload === undefined)),
  uploadImportChunk: z.object({
    upload: uploadId,
    index: z.number().int().nonnegative(),
    text: z.string().max(IMPORT_CHUNK_CHARS),
  }),
  getImportProgress: z.object({ upload: uploadId }),
  getIndexStats: z.object({}),
  /** A page is about to look up its entries: the worker starts its cold-start reads meanwhile. */
  prepareLookup: z.object({}),
  getHealthEvents: z.object({}),
  clearHealthEvents: z.object({}),
  ...siteAccessRequestSchemas,
  ...libraryRequestSchemas,
  ...syncRequestSchemas,
  ...relevanceRequestSchemas,
} as const;

export type MessageType = keyof typeof requestSchemas;
export type RequestOf<T extends MessageType> = z.infer<(typeof requestSchemas)[T]>;

export interface EntryAnnotation {
  ref: number;
  id?: CanonicalId;
  matched: boolean;
  method?: MatchMethod;
  confidence: number;
  saved: boolean;
  /** Absent when relevance has nothing to go on (no saved papers, no interests) or is switched off. */
  relevance?: EntryRelevance;
}

export interface ResponseMap
  extends LibraryResponseMap, SiteAccessResponseMap, SyncResponseMap, RelevanceResponseMap {
  lookupEntries: { annotations: EntryAnnotation[]; relevancePending?: boolean };
  scoreEntries: { scores: { ref: number; relevance: EntryRelevance }[] };
  abstractsWanted: { refs: number[] };
  noteAbstracts: { noted: number };
  savePaper: { saved: SavedPaper };
  unsavePaper: { removed: boolean };
  getPaper: { paper: IndexPaper | null; saved: SavedPaper | null };
  importPaperFile:
    | { ok: true; added: number; updated: number; format?: string; skipped?: number }
    | { ok: false; error: string; problems: { line: number; message: string }[] };
  uploadImportChunk: { received: number };
  getImportProgress: ImportProgress | null;
  getIndexStats: { papers: number; saved: number };
  prepareLookup: { preparing: true };
  getHealthEvents: { events: HealthEvent[] };
  clearHealthEvents: { cleared: true };
}

export const audience: Record<MessageType, 'page' | 'extension'> = {
  lookupEntries: 'page',
  scoreEntries: 'page',
  abstractsWanted: 'page',
  noteAbstracts: 'page',
  savePaper: 'page',
  unsavePaper: 'page',
  getPaper: 'page',
  importPaperFile: 'extension',
  uploadImportChunk: 'extension',
  getImportProgress: 'extension',
  getIndexStats: 'extension',
  prepareLookup: 'page',
  getHealthEvents: 'extension',
  clearHealthEvents: 'extension',
  ...siteAccessAudience,
  ...libraryAudience,
  ...syncAudience,
  ...relevanceAudience,
};

export interface Envelope {
  type: MessageType;
  payload: unknown;
}

export type Reply<T extends MessageType> =
  { ok: true; data: ResponseMap[T] } | { ok: false; error: string };

/** Who sent a message, as the background sees it (from `runtime.MessageSender`). */
export interface SenderInfo {
  extensionId: string | undefined;
  url: string | undefined;
  tabId: number | undefined;
}

export type Handlers = {
  [T in MessageType]: (request: RequestOf<T>, sender: ValidSender) => Promise<ResponseMap[T]>;
};

export type ValidSender = { kind: 'extension' } | { kind: 'page'; tabId: number; url: string };

/** Decides whether a sender may send a message type at all. */
export function classifySender(
  sender: SenderInfo,
  ownId: string,
  ownOrigin: string,
): ValidSender | null {
  if (sender.extensionId !== ownId || !sender.url) return null;
  if (sender.url.startsWith(ownOrigin)) return { kind: 'extension' };
  if (sender.tabId !== undefined && /^https?:\/\//.test(sender.url)) {
    return { kind: 'page', tabId: sender.tabId, url: sender.url };
  }
  return null;
}

function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    typeof value.type === 'string' &&
    Object.hasOwn(requestSchemas, value.type)
  );
}

/** Validates and dispatches one incoming message. Never throws: errors become `{ ok: false }`. */
export async function dispatch(
  handlers: Handlers,
  message: unknown,
  sender: ValidSender | null,
): Promise<Reply<MessageType>> {
  if (!isEnvelope(message)) return { ok: false, error: 'Unknown message.' };
  if (!sender) return { ok: false, error: 'Sender not allowed.' };
  if (sender.kind === 'page' && audience[message.type] !== 'page') {
    return { ok: false, error: `"${message.type}" is not available to pages.` };
  }
  const parsed = requestSchemas[message.type].safeParse(message.payload);
  if (!parsed.success) return { ok: false, error: `Invalid "${message.type}" request.` };
  try {
    // The schema check above ties payload to type; TypeScript can't follow the correlation.
    const handler = handlers[message.type] as (
      request: unknown,
      sender: ValidSender,
    ) => Promise<unknown>;
    const data = (await handler(parsed.data, sender)) as ResponseMap[MessageType];
    return { ok: true, data };
  } catch (error) {
    return { ok: false, error: describeFailure(error) };
  }
}

/** What the user reads when a handler fails: a full disk in plain words, anything else as it is. */
function describeFailure(error: unknown): string {
  if (isQuotaError(error)) {
    return 'The browser has no room left to store this (the disk is full or storage is limited). Nothing was changed; free some space and try again.';
  }
  return error instanceof Error ? error.message : String(error);
}

export { sendMessage } from './message-client';
