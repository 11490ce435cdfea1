import { useState } from 'react';
import { api } from '../client';
import { useLoad } from '../hooks';

/** Remembered for the visit (this tab, until it is closed), so a dismissed note stays away. */
const DISMISSED = 'headroom.secretsNoteDismissed';

/**
 * Where secrets are kept, said where they are entered (Integrations) and only where no keychain
 * seals them. Once per visit: dismissed, it stays away until the page is opened again.
 */
export function SecretsNote() {
  const info = useLoad(() => api['app.info']({}));
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(DISMISSED) === 'yes');
  if (dismissed || !info.value || info.value.secrets.protected) return null;
  return (
    <div className="banner secrets-note" role="note">
      <p>{info.value.secrets.description}</p>
      <button
        type="button"
        onClick={() => {
          sessionStorage.setItem(DISMISSED, 'yes');
          setDismissed(true);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
