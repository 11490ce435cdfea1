import { useState } from 'react';
import type { UsageView } from '../../../shared/ipc/contract';
import { formatBytes, formatCount } from '../../../shared/format';
import { joinPath, type UsageDir } from '../../../shared/usage';
import { api, ApiFailure } from '../client';
import { useEvent } from '../hooks';
import { FolderActions } from './FolderActions';

/**
 * "What's using space" on one disk: a scan on demand (progress, Cancel), then its biggest
 * directories as bars, biggest first, with what grew since the previous scan; a click goes down a
 * level, the breadcrumbs back up; the folder shown opens in the file manager (or its path is there
 * to copy), and the disk's Trash says how much it holds. Headroom never deletes anything.
 */
export function UsagePanel({ mount }: { mount: string }) {
  const [view, setView] = useState<UsageView>();
  const [scanning, setScanning] = useState(false);
  const [progress, setProgress] = useState<{ files: number; size: number }>();
  const [error, setError] = useState<string>();
  const [trail, setTrail] = useState<string[]>([]);
  useEvent('usageProgress', (p) => p.mount === mount && setProgress(p), [mount]);

  const scan = async () => {
    setScanning(true);
    setProgress(undefined);
    setError(undefined);
    try {
      setView(await api['usage.scan']({ mount }));
      setTrail([]);
    } catch (e) {
      const cancelled = e instanceof ApiFailure && /cancelled/.test(e.message);
      setError(cancelled ? 'Scan cancelled.' : (e as Error).message);
    } finally {
      setScanning(false);
    }
  };

  // The directory shown: the root, then each name of the trail in turn.
  let here: UsageDir | undefined = view?.tree;
  for (const name of trail) here = here?.children?.find((c) => c.name === name);
  const path = joinPath(mount, trail.join('/'));
  const grew = new Map((view?.note?.growers ?? []).map((g) => [g.path, g.grew]));

  return (
    <div className="space-use" data-space-use-mount={mount}>
      {scanning ? (
        <p role="status">
          Scanning…{' '}
          {progress && `${formatCount(progress.files, 'file')}, ${formatBytes(progress.size)} so far`}{' '}
          <button type="button" onClick={() => void api['usage.cancel']({ mount })}>
            Cancel
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => void scan()}>
          {view ? 'Scan again' : 'What’s using space'}
        </button>
      )}
      {error && <p className="error">{error}</p>}
      {view && here && (
        <>
          <p className="muted">
            {formatBytes(view.size)} in {formatCount(view.files, 'file')}, scanned in{' '}
            {view.seconds.toFixed(1)} s
            {view.unreadableCount > 0 && ` · ${view.unreadableCount} places could not be read`}
          </p>
          {view.note?.since != null && view.note.lines.length === 0 && (
            <p className="space-use-note">Nothing grew much since the scan before this one.</p>
          )}
          {view.note?.lines.map((line) => (
            <p key={line} className="space-use-note">
              {line}
            </p>
          ))}
          <nav aria-label="Folder path" className="space-use-trail">
            {[mount, ...trail].map((name, i) => (
              <span key={i}>
                {i > 0 && ' / '}
                <button
                  type="button"
                  disabled={i === trail.length}
                  onClick={() => setTrail(trail.slice(0, i))}
                >
                  {name}
                </button>
              </span>
            ))}
          </nav>
          <ul className="space-use-list" aria-label={`Biggest folders in ${path}`}>
            {(here.children ?? []).map((c) => {
              const full = joinPath(path, c.name);
              const more = grew.get(full);
              return (
                <li key={c.name} data-space-use-dir={c.name}>
                  {c.children ? (
                    <button type="button" onClick={() => setTrail([...trail, c.name])}>
                      {c.name}/
                    </button>
                  ) : (
                    <span>{c.name}/</span>
                  )}{' '}
                  <span className="space-use-size">{formatBytes(c.size)}</span>
                  {more !== undefined && <span className="space-use-grew"> +{formatBytes(more)}</span>}
                  <div
                    role="presentation"
                    style={{
                      height: 6,
                      background: 'currentColor',
                      opacity: 0.35,
                      width: `${here!.size > 0 ? Math.max(1, (c.size / here!.size) * 100) : 0}%`,
                    }}
                  />
                </li>
              );
            })}
            {here.more && (
              <li className="muted">
                … {here.more.count} more, {formatBytes(here.more.size)}
              </li>
            )}
          </ul>
          <p className="space-use-path">
            <FolderActions mount={mount} path={path} />
          </p>
          {view.trash && (
            <p className="space-use-trash">
              Trash: {formatBytes(view.trash.size)} —{' '}
              <FolderActions mount={mount} path={view.trash.folders[0]!} trash />
            </p>
          )}
        </>
      )}
    </div>
  );
}
