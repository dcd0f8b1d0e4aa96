import { describe, expect, it } from 'vitest';
import { createSiteAccessHandlers } from './handlers/site-access';
import { audience } from './messages';
import {
  disableSiteAnnotation,
  enableSiteAnnotation,
  forgetSites,
  isBuiltInSite,
  listSiteAnnotations,
  SITE_SCRIPT_FILE,
  siteAccessRequestSchemas,
  siteAnnotationStatus,
  siteOriginPattern,
  type SiteAccessPort,
} from './site-access';

/** In-memory permissions and registrations, recording what was injected where. */
function fakePort(granted: string[] = []): SiteAccessPort & {
  granted: Set<string>;
  scripts: Map<string, { pattern: string; file: string }>;
  injected: { tabId: number; file: string }[];
} {
  const state = {
    granted: new Set(granted),
    scripts: new Map<string, { pattern: string; file: string }>(),
    injected: [] as { tabId: number; file: string }[],
  };
  return {
    ...state,
    hasPermission: async (pattern) => state.granted.has(pattern),
    removePermission: async (pattern) => void state.granted.delete(pattern),
    registeredIds: async () => [...state.scripts.keys()],
    register: async ({ id, pattern, file }) => {
      if (state.scripts.has(id)) throw new Error(`Duplicate script ID '${id}'`);
      state.scripts.set(id, { pattern, file });
    },
    unregister: async (ids) => ids.forEach((id) => state.scripts.delete(id)),
    inject: async (tabId, file) => {
      if (tabId === 404) throw new Error('No tab with id: 404');
      state.injected.push({ tabId, file });
    },
  };
}

describe('siteOriginPattern', () => {
  it.each([
    ['https://lilianweng.github.io/posts/2023-06-23-agent/', 'https://lilianweng.github.io/*'],
    ['http://nlp.example.edu:8080/pubs.html?x=1#y', 'http://nlp.example.edu/*'],
    ['https://github.com/dair-ai/ML-Papers-of-the-Week', 'https://github.com/*'],
  ])('%s → %s', (url, pattern) => {
    expect(siteOriginPattern(url)).toBe(pattern);
  });

  it.each(['chrome://extensions', 'file:///home/a.html', 'about:blank', 'not a url', undefined])(
    'refuses %s',
    (url) => {
      expect(siteOriginPattern(url)).toBeNull();
    },
  );
});

describe('isBuiltInSite', () => {
  it('knows the hosts of the built-in adapters, and only those', () => {
    expect(isBuiltInSite('https://arxiv.org/')).toBe(true);
    expect(isBuiltInSite('https://scholar.google.de/scholar?q=x')).toBe(true);
    expect(isBuiltInSite('https://openreview.net/profile?id=~A1')).toBe(true);
    expect(isBuiltInSite('https://github.com/dair-ai/ML-Papers-of-the-Week')).toBe(false);
    expect(isBuiltInSite('https://notarxiv.org/')).toBe(false);
  });
});

describe('turning a site on and off', () => {
  const url = 'https://lilianweng.github.io/posts/2023-06-23-agent/';

  it('needs the permission first, then registers once and injects into the tab', async () => {
    const port = fakePort();
    await expect(enableSiteAnnotation(port, { url, tabId: 7 })).rejects.toThrow(/not granted/);
    expect(port.scripts.size).toBe(0);

    port.granted.add('https://lilianweng.github.io/*');
    expect(await enableSiteAnnotation(port, { url, tabId: 7 })).toEqual({
      pattern: 'https://lilianweng.github.io/*',
      builtIn: false,
      enabled: true,
      injected: true,
    });
    // Pressing the button again neither fails on the duplicate id nor registers twice.
    await enableSiteAnnotation(port, { url: 'https://lilianweng.github.io/other', tabId: 7 });
    expect([...port.scripts.values()]).toEqual([
      { pattern: 'https://lilianweng.github.io/*', file: SITE_SCRIPT_FILE },
    ]);
    expect(port.injected).toEqual([
      { tabId: 7, file: SITE_SCRIPT_FILE },
      { tabId: 7, file: SITE_SCRIPT_FILE },
    ]);
    expect(await siteAnnotationStatus(port, url)).toMatchObject({ enabled: true });
    expect(await listSiteAnnotations(port)).toEqual(['https://lilianweng.github.io/*']);
  });

  it('keeps the registration when the tab is gone', async () => {
    const port = fakePort(['https://lilianweng.github.io/*']);
    const result = await enableSiteAnnotation(port, { url, tabId: 404 });
    expect(result).toMatchObject({ enabled: true, injected: false });
    expect(port.scripts.size).toBe(1);
  });

  it('refuses built-in sites and non-web pages', async () => {
    const port = fakePort(['https://arxiv.org/*']);
    await expect(enableSiteAnnotation(port, { url: 'https://arxiv.org/' })).rejects.toThrow(
      /already annotates/,
    );
    await expect(enableSiteAnnotation(port, { url: 'chrome://newtab' })).rejects.toThrow(
      /Only web pages/,
    );
    expect(await siteAnnotationStatus(port, 'https://arxiv.org/list/cs.LG/new')).toEqual({
      pattern: 'https://arxiv.org/*',
      builtIn: true,
      enabled: false,
    });
  });

  it('turning off unregisters and gives the permission back; revoked origins are forgotten', async () => {
    const port = fakePort(['https://lilianweng.github.io/*', 'https://example.org/*']);
    await enableSiteAnnotation(port, { url });
    await enableSiteAnnotation(port, { url: 'https://example.org/reading-list' });
    await disableSiteAnnotation(port, { url });
    expect(port.granted.has('https://lilianweng.github.io/*')).toBe(false);
    expect(await listSiteAnnotations(port)).toEqual(['https://example.org/*']);
    port.removePermission = async () => {
      throw new Error('You cannot remove required permissions.');
    };
    await expect(
      disableSiteAnnotation(port, { url: 'https://example.org/' }),
    ).resolves.toMatchObject({ enabled: false });
    await enableSiteAnnotation(port, { url: 'https://example.org/reading-list' });
    await forgetSites(port, ['https://example.org/*', 'https://never.example/*']);
    expect(await listSiteAnnotations(port)).toEqual([]);
  });
});

describe('site access messages', () => {
  it('are for extension pages only, never for content scripts', () => {
    for (const type of Object.keys(siteAccessRequestSchemas)) {
      expect(audience[type as keyof typeof audience]).toBe('extension');
    }
  });

  it('answer through the handlers, and say so when the browser APIs are missing', async () => {
    const port = fakePort(['https://example.org/*']);
    const handlers = createSiteAccessHandlers(port);
    const sender = { kind: 'extension' } as const;
    await handlers.enableSiteAnnotation({ url: 'https://example.org/x', tabId: 3 }, sender);
    expect(await handlers.listSiteAnnotations({}, sender)).toEqual({
      patterns: ['https://example.org/*'],
    });
    await expect(
      createSiteAccessHandlers(undefined).getSiteAnnotation(
        { url: 'https://example.org/' },
        sender,
      ),
    ).rejects.toThrow(/not available/);
  });
});
