/**
 * Handlers of the "Annotate this site" messages (lib/site-access.ts), spread into `createHandlers`.
 */
import type { Handlers } from '../messages';
import {
  disableSiteAnnotation,
  enableSiteAnnotation,
  listSiteAnnotations,
  siteAnnotationStatus,
  type SiteAccessMessageType,
  type SiteAccessPort,
} from '../site-access';

export function createSiteAccessHandlers(
  port: SiteAccessPort | undefined,
): Pick<Handlers, SiteAccessMessageType> {
  const need = (): SiteAccessPort => {
    if (!port) throw new Error('Turning on sites is not available here.');
    return port;
  };
  return {
    getSiteAnnotation: async ({ url }) => siteAnnotationStatus(need(), url),
    enableSiteAnnotation: async (request) => enableSiteAnnotation(need(), request),
    disableSiteAnnotation: async (request) => disableSiteAnnotation(need(), request),
    listSiteAnnotations: async () => ({ patterns: await listSiteAnnotations(need()) }),
  };
}
