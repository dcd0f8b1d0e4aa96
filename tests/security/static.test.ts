/**
 * Source-level rules that keep the extension's attack surface small; each is cheap to break by
 * accident and invisible in review. (The build-level ones are in tests/e2e/manifest.e2e.test.ts.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../shared';

function sources(dir: string): { path: string; text: string }[] {
  const root = join(PROJECT_ROOT, dir);
  const found: { path: string; text: string }[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
        found.push({ path: relative(PROJECT_ROOT, path), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(root);
  return found;
}

const entrypoints = sources('entrypoints');
const shipped = [...entrypoints, ...sources('lib'), ...sources('components')];

describe('source rules', () => {
  it('every content script opts out of WXT’s script-started postMessage (it tells pages our extension id)', () => {
    const scripts = entrypoints.filter((file) => file.text.includes('defineContentScript('));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script.text, script.path).toMatch(/noScriptStartedPostMessage:\s*true/);
    }
  });

  it('nothing runs in the page’s main world, listens to page messages or accepts other extensions', () => {
    for (const file of shipped) {
      expect(file.text, file.path).not.toMatch(/world:\s*['"]MAIN['"]/);
      expect(file.text, file.path).not.toMatch(/\binjectScript\(/);
      expect(file.text, file.path).not.toMatch(/onMessageExternal|onConnectExternal/);
      expect(file.text, file.path).not.toMatch(/addEventListener\(\s*['"]message['"]/);
      expect(file.text, file.path).not.toMatch(/define(Window|CustomEvent)Messaging/);
    }
  });

  it('no HTML parsing of strings and no dynamic code anywhere we ship', () => {
    for (const file of shipped) {
      expect(file.text, file.path).not.toMatch(
        /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(/,
      );
      expect(file.text, file.path).not.toMatch(/dangerouslySetInnerHTML/);
      expect(file.text, file.path).not.toMatch(/\beval\(|new Function\(|setTimeout\(\s*['"`]/);
      expect(file.text, file.path).not.toMatch(
        /createContextualFragment|parseFromString\([^)]*text\/html/,
      );
    }
  });

  it('the content scripts never open the extension databases (in a page they would be the page’s)', () => {
    for (const file of entrypoints.filter((entry) => /content/.test(entry.path))) {
      expect(file.text, file.path).not.toMatch(/openLibraryDb|openIndexDb|from ['"].*lib\/db['"]/);
    }
  });
});
