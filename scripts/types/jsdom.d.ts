// The few parts of jsdom the evaluation script uses (jsdom ships no types; tests reach it only
// through Vitest's `jsdom` environment).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options?: { url?: string });
    readonly window: Window & typeof globalThis;
  }
}
