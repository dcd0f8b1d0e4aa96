/**
 * Named moments on the page look-up path (content script and service worker), for `npm run bench`
 * only: the bench build (WXT_PAPERLIGHT_BENCH=1) passes `performanceMark` to the code that takes a
 * `Mark`; release builds pass nothing, so the calls are `undefined?.()` and cost nothing.
 *
 * Marks go on the context's performance timeline. A content script shares its page's timeline
 * (the bench reads it with `performance.getEntriesByType('mark')` in the page), and the worker has
 * its own, whose `timeOrigin` is the worker's start; both map onto one clock as
 * `timeOrigin + startTime`.
 */
export type Mark = (name: string) => void;

/** Prefix of every mark, so the bench can tell ours from a page's own. */
export const MARK_PREFIX = 'paperlight:';

export const performanceMark: Mark = (name) => {
  performance.mark(`${MARK_PREFIX}${name}`);
};
