import { defineConfig } from 'vitest/config';

// End-to-end tests drive the built extension in Debian's Chromium: one browser at a time on 2 cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A headless browser occasionally misses its first frame on a loaded machine; one retry, never more.
    retry: 1,
  },
});
