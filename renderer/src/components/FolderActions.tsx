import { useState } from 'react';
import { api, inDesktopApp } from '../client';

/**
 * What to do with a folder Headroom points at: the desktop app opens it in the file manager (the
 * main process checks it is a folder of that disk first); a browser cannot, so it offers the
 * path to copy. Nothing here deletes anything.
 */
export function FolderActions({
  mount,
  path,
  trash = false,
}: {
  mount: string;
  path: string;
  /** The disk's Trash: the main process finds that folder itself. */
  trash?: boolean;
}) {
  const [said, setSaid] = useState<{ text: string; error?: boolean }>();
  const open = async () => {
    setSaid(undefined);
    try {
      await (trash ? api['usage.openTrash']({ mount }) : api['usage.open']({ mount, path }));
    } catch (e) {
      setSaid({ text: (e as Error).message, error: true });
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(path);
      setSaid({ text: 'Copied.' });
    } catch {
      // No clipboard for this page (plain http to another host, or permission refused).
      setSaid({ text: 'Could not copy: select the path and copy it.', error: true });
    }
  };
  return (
    <span className="folder-actions">
      {!(inDesktopApp && trash) && <code>{path}</code>}{' '}
      {inDesktopApp ? (
        <button type="button" onClick={() => void open()}>
          {trash ? 'Open Trash' : 'Open in file manager'}
        </button>
      ) : (
        <button type="button" onClick={() => void copy()}>
          Copy path
        </button>
      )}
      {said && (
        <span role="status" className={said.error ? 'error' : 'muted'}>
          {' '}
          {said.text}
        </span>
      )}
    </span>
  );
}
