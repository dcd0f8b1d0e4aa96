/**
 * `SiteAccessPort` over the WebExtension permissions and scripting APIs. The API objects are passed
 * in (the background hands over `browser`), so lib/ still never touches `browser.*` itself.
 */
import type { SiteAccessPort } from './site-access';

interface RegisteredScript {
  id: string;
  matches?: string[];
  js?: string[];
  runAt?: 'document_start' | 'document_end' | 'document_idle';
  persistAcrossSessions?: boolean;
}

/** The slice of `browser` this needs (structural, so tests can pass fakes). */
export interface PermissionsAndScripting {
  permissions: {
    contains(permissions: { origins?: string[] }): Promise<boolean>;
    remove(permissions: { origins?: string[] }): Promise<boolean>;
  };
  scripting: {
    getRegisteredContentScripts(): Promise<RegisteredScript[]>;
    registerContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<unknown>;
  };
}

/**
 * `inject` runs a bundled file in a tab (`scripting.executeScript({ target: { tabId }, files })`);
 * it is passed separately because that API's overloads don't narrow to a structural type.
 */
export function browserSiteAccess(
  api: PermissionsAndScripting,
  inject: (tabId: number, file: string) => Promise<unknown>,
): SiteAccessPort {
  return {
    hasPermission: (pattern) => api.permissions.contains({ origins: [pattern] }),
    async removePermission(pattern) {
      await api.permissions.remove({ origins: [pattern] });
    },
    async registeredIds() {
      return (await api.scripting.getRegisteredContentScripts()).map((script) => script.id);
    },
    async register({ id, pattern, file }) {
      await api.scripting.registerContentScripts([
        {
          id,
          matches: [pattern],
          js: [file.replace(/^\//, '')],
          // As the built-in sites' script (entrypoints/content): the parsed DOM is all the adapters
          // read, and document_idle comes later (as late as the load event: images, scripts). Scripts
          // registered by an older version keep document_idle (registrations are matched by id).
          runAt: 'document_end',
          persistAcrossSessions: true,
        },
      ]);
    },
    async unregister(ids) {
      await api.scripting.unregisterContentScripts({ ids });
    },
    async inject(tabId, file) {
      await inject(tabId, file);
    },
  };
}
