import { describe, expect, it } from 'vitest';
import { pageSettingsOf } from './page-settings';
import { DEFAULT_SETTINGS, parseSettings } from './settings';

describe('pageSettingsOf', () => {
  it('reads what the options page stored', () => {
    const stored = { ...DEFAULT_SETTINGS, disabledSites: ['arxiv', 'dblp'], relevanceKeys: true };
    const settings = pageSettingsOf(stored);
    expect([...settings.disabledSites]).toEqual(['arxiv', 'dblp']);
    expect(settings.relevanceKeys).toBe(true);
  });

  it.each([
    ['nothing stored', undefined],
    ['not an object', 'settings'],
    ['sites not a list', { disabledSites: 'arxiv', relevanceKeys: 'yes' }],
    ['a site that is not a name', { disabledSites: ['arxiv', 42], relevanceKeys: 1 }],
    ['too many sites', { disabledSites: Array.from({ length: 201 }, (_, at) => `site${at}`) }],
  ])('falls back to the defaults for %s, as the full settings do', (_case, stored) => {
    const settings = pageSettingsOf(stored);
    const full = parseSettings(stored);
    expect([...settings.disabledSites]).toEqual(full.disabledSites);
    expect(settings.relevanceKeys).toBe(full.relevanceKeys);
  });
});
