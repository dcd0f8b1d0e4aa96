/**
 * Sizes a content script and the background agree on for a page's abstracts, in a module of its
 * own so the content script does not bundle the message schemas (and zod) to read them.
 */

/** Entries one `noteAbstracts` message may carry. */
export const NOTE_ABSTRACTS_MAX = 2_000;

/**
 * Characters of abstracts per `noteAbstracts` message. Passing a message between processes costs
 * the page's main thread time in proportion to its size (2,000 abstracts in one look-up took
 * ~0.4 s on this VM): chunks keep each of those tasks short.
 */
export const ABSTRACT_CHUNK_CHARS = 200_000;
