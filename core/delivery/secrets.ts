/**
 * Seals secrets at rest. The desktop app seals with the OS keychain (Electron `safeStorage`);
 * plain Node (the CLI on a server) has no keychain and stores them in the clear, in files only
 * their owner can read (0600), saying so in `integration list`.
 */
export interface Sealer {
  readonly scheme: string;
  /** A sentence for the user: where secrets are kept and how safe that is. */
  readonly description: string;
  seal(plain: string): string;
  unseal(sealed: string): string;
  /**
   * For a keychain that works asynchronously: seals `seal` and unseals `unseal` ahead, so that
   * `seal` and `unseal` can answer synchronously. Resolves true when a secret read should be
   * sealed again (the keychain rotated its key).
   */
  prepare?(work: { seal?: string[]; unseal?: string[] }): Promise<boolean>;
}

export class UnsealError extends Error {}

export const plainSealer: Sealer = {
  scheme: 'plain',
  description:
    'Secrets are stored unencrypted in files readable only by you (mode 0600): no OS keychain is available to this process.',
  seal: (plain) => `plain:${plain}`,
  unseal(sealed) {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    const scheme = sealed.slice(0, sealed.indexOf(':'));
    throw new UnsealError(
      scheme === 'safeStorage'
        ? "this secret was sealed with the desktop app's OS keychain and cannot be read here; run this from the desktop app, or enter the secret again with `headroom integration edit`"
        : `unknown secret format "${scheme}"`,
    );
  },
};
