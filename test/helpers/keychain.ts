/**
 * Electron's safeStorage as the shell sees it, with a stand-in cipher (hex in a wrapper): what it
 * stores never holds a secret's text, as with a real OS keychain.
 */
export const fakeKeychain = (backend = 'gnome_libsecret') => ({
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => backend,
  encryptString: (s: string) => Buffer.from(`enc(${Buffer.from(s).toString('hex')})`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4, -1), 'hex').toString(),
});
