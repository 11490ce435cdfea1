/**
 * Electron's safeStorage as the shell sees it, with a stand-in cipher (hex in a wrapper): what it
 * stores never holds a secret's text, as with a real OS keychain. `rotated`: the keychain has a
 * new key, so secrets sealed with the old one decrypt but should be sealed again.
 */
export const fakeKeychain = (backend = 'gnome_libsecret', { rotated = false } = {}) => {
  const tag = rotated ? 'enc2' : 'enc';
  const decrypt = (b: Buffer) => {
    const text = b.toString();
    const hex = text.slice(text.indexOf('(') + 1, -1);
    if (!/^enc2?\([0-9a-f]*\)$/.test(text)) throw new Error('Error while decrypting the ciphertext provided');
    return { result: Buffer.from(hex, 'hex').toString(), shouldReEncrypt: !text.startsWith(`${tag}(`) };
  };
  return {
    getSelectedStorageBackend: () => backend as 'gnome_libsecret',
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (s: string) => Buffer.from(`${tag}(${Buffer.from(s).toString('hex')})`),
    decryptStringAsync: async (b: Buffer) => decrypt(b),
  };
};
