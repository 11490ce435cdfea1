import { useState } from 'react';
import { accessStatus, logout, rotateToken } from '../client';
import { LoadStatus } from '../components/widgets';
import { useLoad } from '../hooks';

/**
 * Settings' part for the web UI only (the desktop app needs no token): rotate the access token,
 * and log out of a password login. A rotation ends every other page's access, so it asks first;
 * this page takes the new token and shows its address, to bookmark or pass on.
 */
export function WebUiAccess() {
  const status = useLoad(accessStatus);
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [link, setLink] = useState<string>();
  const [said, setSaid] = useState<{ text: string; error?: boolean }>();

  const rotate = async () => {
    setStep('busy');
    setSaid(undefined);
    try {
      setLink(await rotateToken());
      status.reload();
    } catch (e) {
      setSaid({ text: `Could not rotate the token: ${(e as Error).message}.`, error: true });
    }
    setStep('idle');
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link!);
      setSaid({ text: 'Copied.' });
    } catch {
      setSaid({ text: 'Could not copy: select the address and copy it.', error: true });
    }
  };

  return (
    <section className="card form stack access" aria-labelledby="access-title">
      <h2 id="access-title">Web UI access</h2>
      <LoadStatus load={status} what="how this page is let in" />
      {status.value && (
        <p>
          {status.value.session
            ? 'This browser is logged in with the password.'
            : 'This page uses the access token from its address.'}{' '}
          {status.value.passwordLogin ? (
            'Password login is on.'
          ) : (
            <>
              Password login is off (<code>headroom ui --set-password</code> turns it on).
            </>
          )}
        </p>
      )}
      <p className="muted">
        Rotating the access token makes every address with the old one, every other open page and every
        password login stop working at once. This page gets the new address.
      </p>
      <div className="actions">
        {step === 'confirm' ? (
          <>
            <button type="button" className="danger" onClick={() => void rotate()}>
              Rotate now
            </button>
            <button type="button" onClick={() => setStep('idle')}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" disabled={step === 'busy'} onClick={() => setStep('confirm')}>
            Rotate access token
          </button>
        )}
        {status.value?.session && (
          <button
            type="button"
            onClick={() => logout().catch((e: Error) => setSaid({ text: e.message, error: true }))}
          >
            Log out
          </button>
        )}
      </div>
      {link && (
        <div className="stack">
          <label htmlFor="new-address">New address (bookmark it; the old one no longer works)</label>
          <input id="new-address" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <div>
            <button type="button" onClick={() => void copy()}>
              Copy address
            </button>
          </div>
        </div>
      )}
      {said && (
        <p role="status" className={said.error ? 'error' : 'muted'}>
          {said.text}
        </p>
      )}
    </section>
  );
}
