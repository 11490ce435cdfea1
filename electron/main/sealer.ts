import type { SafeStorage } from 'electron';
import { plainSealer, UnsealError, type Sealer } from '../../core/delivery/secrets.js';

type Keychain = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

const PREFIX = 'safeStorage:';

/**
 * Secrets sealed by the OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). Where no keychain is available — or Linux falls back to
 * its `basic_text` backend, which protects nothing — secrets stay in 0600 files and the app
 * says so plainly instead of pretending.
 *
 * safeStorage's synchronous calls are deprecated (Electron 45); its asynchronous ones run in
 * `prepare`, which the integration store awaits before it saves (sealing) and at start (reading
 * every secret on disk), so `seal` and `unseal` answer from what was prepared.
 */
export async function keychainSealer(
  safeStorage: Keychain,
  platform: NodeJS.Platform = process.platform,
): Promise<Sealer & { protected: boolean }> {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  if (!(await safeStorage.isAsyncEncryptionAvailable()) || backend === 'basic_text') {
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
        if (!sealed.startsWith(PREFIX)) return plainSealer.unseal(sealed);
        throw new UnsealError(
          `this secret was encrypted with the OS keychain, which Headroom cannot use now (${why}); unlock or start the keychain and restart Headroom, or enter the secret again under Integrations`,
        );
      },
    };
  }
  const plainOf = new Map<string, string>();
  const sealedOf = new Map<string, string>();
  const unreadable = new Set<string>();
  return {
    scheme: 'safeStorage',
    protected: true,
    description: `Secrets are encrypted with the OS keychain${backend ? ` (${backend})` : ''}.`,
    async prepare({ seal = [], unseal = [] }) {
      let reseal = false;
      // What the keychain refused before is asked again: it may have been locked at login.
      unreadable.clear();
      for (const sealed of unseal) {
        if (!sealed.startsWith(PREFIX) || plainOf.has(sealed)) continue;
        try {
          const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
            Buffer.from(sealed.slice(PREFIX.length), 'base64'),
          );
          plainOf.set(sealed, result);
          // A rotated key: left out of sealedOf, so the next save encrypts it anew.
          if (shouldReEncrypt) reseal = true;
          else sealedOf.set(result, sealed);
        } catch {
          unreadable.add(sealed);
        }
      }
      for (const plain of seal) {
        if (sealedOf.has(plain)) continue;
        const sealed = `${PREFIX}${(await safeStorage.encryptStringAsync(plain)).toString('base64')}`;
        sealedOf.set(plain, sealed);
        plainOf.set(sealed, plain);
      }
      return reseal;
    },
    seal(plain) {
      const sealed = sealedOf.get(plain);
      if (sealed === undefined)
        throw new Error('a secret was sealed without being prepared (IntegrationStore.saveSealed)');
      return sealed;
    },
    unseal(sealed) {
      if (sealed.startsWith('plain:')) return plainSealer.unseal(sealed);
      if (!sealed.startsWith(PREFIX))
        throw new UnsealError(`unknown secret format "${sealed.slice(0, sealed.indexOf(':'))}"`);
      const plain = plainOf.get(sealed);
      if (plain !== undefined) return plain;
      throw new UnsealError(
        unreadable.has(sealed)
          ? 'the OS keychain did not decrypt this secret (still locked? Headroom asks again within a minute; if the data directory was copied from another account, enter the secret again)'
          : 'this secret has not been read from the OS keychain yet; restart Headroom',
      );
    },
  };
}
