/**
 * A hang guard, not a speed test: pathological input must not make a parser run away
 * (catastrophic regex backtracking, exponential entity expansion, unbounded recursion).
 * The bound is two orders of magnitude above normal so a busy 2-core machine never trips it;
 * real speed is measured by `npm run bench`.
 */
import { expect } from 'vitest';

export const HANG_LIMIT_MS = 5_000;

/** Runs `work`, which must return (or throw a deliberate error) before the hang limit. */
export function withinHangGuard<T>(name: string, work: () => T): T | Error {
  const started = performance.now();
  let result: T | Error;
  try {
    result = work();
  } catch (error) {
    result = error instanceof Error ? error : new Error(String(error));
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `${name} ran for ${Math.round(elapsed)} ms`).toBeLessThan(HANG_LIMIT_MS);
  return result;
}

/** The async twin of `withinHangGuard`. */
export async function withinHangGuardAsync<T>(
  name: string,
  work: () => Promise<T>,
): Promise<T | Error> {
  const started = performance.now();
  let result: T | Error;
  try {
    result = await work();
  } catch (error) {
    result = error instanceof Error ? error : new Error(String(error));
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `${name} ran for ${Math.round(elapsed)} ms`).toBeLessThan(HANG_LIMIT_MS);
  return result;
}
