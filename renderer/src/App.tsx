import { useState } from 'react';
import { formatTime } from '../../shared/format';
import { api, passwordLogin } from './client';
import { Contained } from './components/OnDemand';
import { useEvent, useLink, useLoad, useRoute } from './hooks';
import { Disks } from './pages/Disks';
import { History } from './pages/History';
import { Integrations } from './pages/Integrations';
import { Settings } from './pages/Settings';

const PAGES = [
  ['disks', 'Disks'],
  ['integrations', 'Integrations'],
  ['history', 'History'],
  ['settings', 'Settings'],
] as const;

export function App() {
  const route = useRoute();
  const info = useLoad(() => api['app.info']({}));
  // A pushed pause is the latest word, even when it beats app.info here (its answer may predate it):
  // dropping it would show "Pause alerts" while every alert is held. Every (re)connected event
  // stream starts with the pause as it is now (core/web-ui.ts), so a pause missed while out of
  // touch is put right there.
  const [pushed, setPushed] = useState<{ pausedUntil: number | null }>();
  useEvent('paused', setPushed);
  const link = useLink();
  const stale = link === 'lost' || link === 'forbidden';
  useEvent('focusDisk', ({ mount }) => (location.hash = `#/disks?mount=${encodeURIComponent(mount)}`));
  const pausedUntil = pushed ? pushed.pausedUntil : info.value?.pausedUntil;
  // Narrow windows (a tray popover) fold the page links into a menu.
  const [menu, setMenu] = useState(false);
  const [redraws, setRedraws] = useState(0);

  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Headroom</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menu}
          aria-controls="pages"
          aria-label="Pages menu"
          onClick={() => setMenu(!menu)}
        >
          Menu <span aria-hidden="true">▾</span>
        </button>
        <nav aria-label="Pages" id="pages" className={menu ? 'open' : undefined}>
          {PAGES.map(([id, label]) => (
            <a
              key={id}
              href={`#/${id}`}
              aria-current={route.page === id ? 'page' : undefined}
              onClick={() => setMenu(false)}
            >
              {label}
            </a>
          ))}
        </nav>
        <div className="pause">
          {pausedUntil === undefined ? null : pausedUntil !== null ? (
            <>
              <span role="status">
                Alerts paused
                {pausedUntil < Number.MAX_SAFE_INTEGER
                  ? ` until ${formatTime(pausedUntil, { seconds: false })}`
                  : ''}
              </span>
              <button type="button" onClick={() => api['alerts.resume']({})}>
                Resume
              </button>
            </>
          ) : (
            <button type="button" onClick={() => api['alerts.pause']({ minutes: 60 })}>
              Pause alerts 1 h
            </button>
          )}
        </div>
      </header>
      {link === 'lost' && (
        <p className="banner error" role="alert">
          Lost contact with the watcher: reconnecting… What this page shows may be out of date.
        </p>
      )}
      {link === 'forbidden' && (
        <p className="banner error" role="alert">
          The watcher no longer accepts this page’s access token: it was rotated (in Settings, or with{' '}
          <code>headroom ui --rotate-token</code>). Open the address with the new one (printed by the watcher,
          or saved in ui-url in its data folder)
          {passwordLogin ? (
            <>
              , or <a href="login">log in with the password</a>.
            </>
          ) : (
            '.'
          )}
        </p>
      )}
      {info.error && !stale && (
        <p className="banner error" role="alert">
          {info.error}
        </p>
      )}
      <main id="main" tabIndex={-1} className={stale ? 'stale' : undefined}>
        {/* A page that fails to draw says so here; the header, its banners and links stay. */}
        <Contained key={`${route.page}-${redraws}`} what="this page" retry={() => setRedraws((n) => n + 1)}>
          {route.page === 'integrations' ? (
            <Integrations />
          ) : route.page === 'history' ? (
            <History />
          ) : route.page === 'settings' ? (
            <Settings />
          ) : (
            <Disks focus={route.params.get('mount') ?? undefined} />
          )}
        </Contained>
      </main>
      <footer className="muted">
        {info.value && `Headroom ${info.value.version} on ${info.value.host} · data in ${info.value.dataDir}`}
      </footer>
    </div>
  );
}
