import type { ReactElement } from 'react';
import { HealthNotice } from './HealthNotice';
import { InterestsPanel } from './InterestsPanel';
import { IndexPanel } from './options/IndexPanel';
import { LibraryPanel } from './options/LibraryPanel';
import {
  AboutPanel,
  PrivacyPanel,
  SitesPanel,
  StoragePanel,
  useSettings,
} from './options/SettingsPanels';
import { TagsPanel } from './options/TagsPanel';
import { SyncPanel } from './SyncPanel';
import { useTheme } from './use-theme';
import './options.css';

/** The options page. Writes go through the background; the databases are read live. */
export function Options(): ReactElement {
  useTheme();
  const [settings, update] = useSettings();
  return (
    <main className="options">
      <h1>Paperlight</h1>
      <HealthNotice />
      <nav aria-label="Sections" className="toc">
        <a href="#index-heading">Index</a> · <a href="#sources-heading">Sources</a> ·{' '}
        <a href="#sites-heading">Sites</a> · <a href="#interests-heading">Interests &amp; tags</a> ·{' '}
        <a href="#library-heading">Library</a> · <a href="#storage-heading">Storage</a> ·{' '}
        <a href="#privacy-heading">Privacy</a> · <a href="#about-heading">About</a>
      </nav>
      <IndexPanel />
      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources and sync</h2>
        {/* The sync issue's panel: sources, schedules and their status. */}
        <SyncPanel />
      </section>
      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading">Sites</h2>
        {settings ? (
          <SitesPanel settings={settings} update={update} />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      <section aria-labelledby="interests-heading">
        <h2 id="interests-heading">Interests and tags</h2>
        <InterestsPanel />
        <h3>Tags</h3>
        <TagsPanel />
      </section>
      <LibraryPanel />
      <section aria-labelledby="storage-heading">
        <h2 id="storage-heading">Storage</h2>
        <StoragePanel />
      </section>
      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy and appearance</h2>
        {settings ? (
          <PrivacyPanel settings={settings} update={update} />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">About</h2>
        <AboutPanel />
      </section>
    </main>
  );
}
