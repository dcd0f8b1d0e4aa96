// @vitest-environment jsdom
/**
 * The popup's static shell (components/popup/shell.ts) on the real popup.html markup: what is typed
 * before React has mounted is kept and answered once the views connect; tabs and shortcuts work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { shownView, startPopupShell, type PopupShell } from '../components/popup/shell';
import { PROJECT_ROOT } from './shared';

const POPUP_HTML = readFileSync(join(PROJECT_ROOT, 'entrypoints/popup/index.html'), 'utf8');

function loadPopupMarkup(): void {
  const parsed = new DOMParser().parseFromString(POPUP_HTML, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((node) => document.adoptNode(node)),
  );
}

const input = (): HTMLInputElement => document.getElementById('popup-search') as HTMLInputElement;
const tab = (view: string): HTMLElement => document.getElementById(`tab-${view}`) as HTMLElement;

function type(text: string): void {
  for (const character of text) {
    input().value += character;
    input().dispatchEvent(new Event('input', { bubbles: true }));
  }
}

function press(key: string, init: KeyboardEventInit = {}, target: Element = input()): boolean {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('popup shell (before and after React)', () => {
  let shell: PopupShell;
  beforeEach(() => {
    loadPopupMarkup();
  });

  it('focuses the box and keeps text typed before the script ran and before the views exist', () => {
    input().value = 'diff';
    shell = startPopupShell(document);
    expect(document.activeElement).toBe(input());
    expect(shell.getState().text).toBe('diff');
    const seen: string[] = [];
    shell.subscribe(() => seen.push(shell.getState().text));
    type('usion');
    expect(input().value).toBe('diffusion');
    expect(shell.getState().text).toBe('diffusion');
    expect(seen.at(-1)).toBe('diffusion');
    // The search tab shows while there is text, before React has rendered anything.
    expect(shownView(shell.getState())).toBe('search');
    expect(tab('search').getAttribute('aria-selected')).toBe('true');
    expect(tab('search').tabIndex).toBe(0);
    expect(tab('page').getAttribute('aria-selected')).toBe('false');
    expect(tab('page').tabIndex).toBe(-1);
    expect(document.getElementById('popup-panel')?.getAttribute('aria-labelledby')).toBe(
      'tab-search',
    );
  });

  it('answers Enter and ↓ once the views connect (nothing to move into before)', () => {
    shell = startPopupShell(document);
    type('attention');
    expect(press('Enter')).toBe(true);
    const focusList = vi.fn();
    shell.connect({ focusList, undo: vi.fn() });
    expect(press('Enter')).toBe(true);
    expect(press('ArrowDown')).toBe(true);
    expect(focusList).toHaveBeenCalledTimes(2);
    expect(shell.getState().text).toBe('attention');
  });

  it('switches views with Alt+1/2/3 (clearing the box) and by clicking a tab', () => {
    shell = startPopupShell(document);
    type('graphs');
    expect(press('2', { altKey: true })).toBe(true);
    expect(input().value).toBe('');
    expect(shell.getState()).toMatchObject({ text: '', view: 'library' });
    expect(tab('library').getAttribute('aria-selected')).toBe('true');
    tab('page').click();
    expect(shell.getState().view).toBe('page');
    tab('search').focus();
    tab('search').click();
    expect(shell.getState().view).toBe('search');
    expect(document.activeElement).toBe(input());
  });

  it('Esc clears the box, then closes the popup', () => {
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    shell = startPopupShell(document);
    type('x');
    press('Escape');
    expect(input().value).toBe('');
    expect(shell.getState().text).toBe('');
    expect(close).not.toHaveBeenCalled();
    press('Escape');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('opens help with ? in an empty box (a typed ? stays text) and closes it with Esc', () => {
    shell = startPopupShell(document);
    expect(press('?')).toBe(true);
    expect(shell.getState().help).toBe(true);
    press('Escape');
    expect(shell.getState().help).toBe(false);
    type('what');
    expect(press('?')).toBe(false);
    expect(shell.getState().help).toBe(false);
    document.getElementById('help-button')?.click();
    expect(shell.getState().help).toBe(true);
  });

  it('/ focuses the box from elsewhere; Ctrl+Z undoes outside a text field only', () => {
    shell = startPopupShell(document);
    const undo = vi.fn();
    shell.connect({ focusList: vi.fn(), undo });
    press('z', { ctrlKey: true });
    expect(undo).not.toHaveBeenCalled();
    tab('page').focus();
    press('z', { ctrlKey: true }, tab('page'));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(press('/', {}, tab('page'))).toBe(true);
    expect(document.activeElement).toBe(input());
  });

  it('shows the library count on its tab', () => {
    shell = startPopupShell(document);
    const count = tab('library').querySelector('.count') as HTMLElement;
    expect(count.hidden).toBe(true);
    shell.setLibraryCount(12);
    expect(count.hidden).toBe(false);
    expect(tab('library').textContent?.replace(/\s+/g, ' ').trim()).toBe('Library 12');
    shell.setLibraryCount(undefined);
    expect(count.hidden).toBe(true);
  });
});
