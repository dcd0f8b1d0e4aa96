import { useEffect, useState, type ReactElement } from 'react';
import { browser } from '#imports';
import { siteOriginPattern } from '../../lib/site-access';
import type { Settings, SettingsPatch } from '../../lib/settings';
import { adapters } from '../../lib/sites';
import { callBackground } from '../runtime';
import { applyTheme } from '../use-theme';

/** Settings read once and written through the background. */
export function useSettings(): [Settings | null, (patch: SettingsPatch) => void] {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    callBackground('getSettings', {})
      .then(setSettings)
      .catch(() => setSettings(null));
  }, []);
  const update = (patch: SettingsPatch): void => {
    // Shown at once (a cold background can take a moment), then replaced by what was stored.
    setSettings((current) => (current ? { ...current, ...patch } : current));
    callBackground('updateSettings', { patch })
      .then((next) => {
        setSettings(next);
        if (patch.theme) applyTheme(next.theme);
      })
      .catch(() =>
        // Not stored: show what is.
        callBackground('getSettings', {})
          .then(setSettings)
          .catch(() => undefined),
      );
  };
  return [settings, update];
}

export function SitesPanel({
  settings,
  update,
}: {
  settings: Settings;
  update: (patch: SettingsPatch) => void;
}): ReactElement {
  const [url, setUrl] = useState('');
  const [message, setMessage] = useState('');
  const disabled = new Set(settings.disabledSites);
  const addSite = (): void => {
    const pattern = siteOriginPattern(url.includes('://') ? url : `https://${url}`);
    if (!pattern) {
      setMessage('Enter a web address, e.g. https://proceedings.example.org');
      return;
    }
    const pageUrl = pattern.replace('/*', '/');
    // The permission prompt needs this click's user gesture: request first, then tell the background.
    void browser.permissions
      .request({ origins: [pattern] })
      .then(async (granted) => {
        if (!granted) {
          setMessage('Permission not granted; nothing changed.');
          return;
        }
        await callBackground('enableSiteAnnotation', { url: pageUrl });
        setMessage(`Paperlight now marks papers on ${new URL(pageUrl).hostname}.`);
        setUrl('');
      })
      .catch((error: unknown) => setMessage(String(error)));
  };
  return (
    <>
      <fieldset className="sites">
        <legend>Sites Paperlight marks papers on</legend>
        {adapters.map((adapter) => (
          <label key={adapter.id}>
            <input
              type="checkbox"
              checked={!disabled.has(adapter.id)}
              onChange={(event) =>
                update({
                  disabledSites: event.target.checked
                    ? settings.disabledSites.filter((id) => id !== adapter.id)
                    : [...settings.disabledSites, adapter.id],
                })
              }
            />{' '}
            {adapter.name}
          </label>
        ))}
      </fieldset>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          addSite();
        }}
      >
        <label htmlFor="add-site">Add a site</label>
        <input
          id="add-site"
          type="url"
          placeholder="https://…"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <button type="submit">Add site</button>
      </form>
      <p className="muted">
        Paperlight asks the browser for access to that one site only; pages of it then get the same
        marks.
      </p>
      <p role="status">{message}</p>
    </>
  );
}

export function PrivacyPanel({
  settings,
  update,
}: {
  settings: Settings;
  update: (patch: SettingsPatch) => void;
}): ReactElement {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.showBadgesOnPages}
          onChange={(event) => update({ showBadgesOnPages: event.target.checked })}
        />{' '}
        Show “saved” marks on pages
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.showRelevanceOnPages}
          onChange={(event) => update({ showRelevanceOnPages: event.target.checked })}
        />{' '}
        Show relevance highlights on pages
      </label>
      <p className="muted">
        A page’s own scripts can read the marks Paperlight adds, and so learn which papers you saved
        or find relevant. Turn the marks off on shared or untrusted machines; the popup still shows
        everything.
      </p>
      <label htmlFor="theme">Theme</label>{' '}
      <select
        id="theme"
        value={settings.theme}
        onChange={(event) => update({ theme: event.target.value as Settings['theme'] })}
      >
        <option value="system">Follow the browser</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </>
  );
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '…';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function StoragePanel(): ReactElement {
  const [estimate, setEstimate] = useState<StorageEstimate | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  useEffect(() => {
    void navigator.storage?.estimate().then(setEstimate);
    void navigator.storage?.persisted().then(setPersisted);
  }, []);
  return (
    <>
      <p>
        Used: <strong data-testid="storage-used">{formatBytes(estimate?.usage)}</strong>
        {estimate?.quota ? ` of ${formatBytes(estimate.quota)} available` : ''}.
      </p>
      <p>
        {persisted === null
          ? 'Checking whether the browser may clear this data…'
          : persisted
            ? 'Persistent: the browser will not clear Paperlight’s data to free space.'
            : 'Not persistent: under disk pressure the browser may clear Paperlight’s data.'}{' '}
        {persisted === false && (
          <button type="button" onClick={() => void navigator.storage.persist().then(setPersisted)}>
            Keep my data
          </button>
        )}
      </p>
      <p className="muted">
        Uninstalling Paperlight deletes its data in every browser: download a backup (Library,
        above) first.
      </p>
    </>
  );
}

export function AboutPanel(): ReactElement {
  const manifest = browser.runtime.getManifest();
  return (
    <p>
      Paperlight <span data-testid="version">{manifest.version}</span>. Everything stays in this
      browser: the index, your library and your settings. Keyboard: <kbd>Alt</kbd>+<kbd>Shift</kbd>+
      <kbd>P</kbd> opens the popup, <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>S</kbd> saves the paper of
      the current page (change them at chrome://extensions/shortcuts).
    </p>
  );
}
