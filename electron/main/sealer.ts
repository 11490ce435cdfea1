import type { SafeStorage } from 'electron';
import { plainSealer, UnsealError, type Sealer } from '../core/delivery/secrets.js';

/**
 * Secrets sealed by the OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). Where no keychain is available — or Linux falls back to
 * its `basic_text` backend, which protects nothing — secrets stay in 0600 files and the app
 * says so plainly instead of pretending.
 */
export function keychainSealer(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
    getSelectedStorageBackend?: () => string;
  },
  platform = process.platform,
): Sealer & { protected: boolean } {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    const why =
      backend === 'basic_text'
        ? 'no keyring (gnome-keyring or kwallet) is running'
        : 'the OS keychain is not available';
    return {
      ...plainSealer,
      protected: false,
      description: `Secrets are NOT encrypted: ${why}. They are stored in files readable only by you (mode 0600).`,
      // In the app's words: plainSealer's own message sends CLI users to the desktop app.
      unseal(sealed) {
        if (!sealed.startsWith('safeStorage:')) return plainSealer.unseal(sealed);
        throw new UnsealError(
          `this secret was encrypted with the OS keychain, which Headroom cannot use now (${why}); unlock or start the keychain and restart Headroom, or enter the secret again under Integrations`,
        );
      },
    };
  }
  return {
    scheme: 'safeStorage',
    protected: true,
    description: `Secrets are encrypted with the OS keychain${backend ? ` (${backend})` : ''}.`,
    seal: (plain) => `safeStorage:${safeStorage.encryptString(plain).toString('base64')}`,
    unseal(sealed) {
      if (sealed.startsWith('plain:')) return plainSealer.unseal(sealed);
      if (!sealed.startsWith('safeStorage:'))
        throw new UnsealError(`unknown secret format "${sealed.slice(0, sealed.indexOf(':'))}"`);
      try {
        return safeStorage.decryptString(Buffer.from(sealed.slice('safeStorage:'.length), 'base64'));
      } catch {
        throw new UnsealError(
          "this secret cannot be decrypted by this user's keychain (was the data directory copied from another account?); enter it again",
        );
      }
    },
  };
}
