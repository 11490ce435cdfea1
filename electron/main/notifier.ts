import type { NotificationConstructorOptions } from 'electron';
import type { NotificationLike, Surfaces } from './surfaces.js';

/** More than anyone reads; the oldest are let go first. */
const KEEP = 20;

/**
 * Native notifications, shown only where the OS supports them. Each is kept referenced until it
 * is clicked or closed: once garbage-collected, a click on it does nothing (electron/electron#16922).
 */
export class Notifier {
  private readonly live = new Set<NotificationLike>();
  /** The notification shown last under each tag: a new one with the same tag replaces it. */
  private readonly tagged = new Map<string, NotificationLike>();

  constructor(private readonly Notification: Surfaces['Notification']) {}

  show(options: NotificationConstructorOptions, onClick?: () => void, tag?: string): void {
    if (!this.Notification.isSupported()) return;
    if (tag !== undefined) this.tagged.get(tag)?.close();
    const n = new this.Notification(options);
    if (tag !== undefined) this.tagged.set(tag, n);
    const forget = () => {
      this.live.delete(n);
      if (tag !== undefined && this.tagged.get(tag) === n) this.tagged.delete(tag);
    };
    n.on('click', () => {
      forget();
      onClick?.();
    });
    n.on('close', forget);
    n.on('failed', forget);
    this.live.add(n);
    for (const old of this.live) {
      if (this.live.size <= KEEP) break;
      this.live.delete(old);
    }
    n.show();
  }
}
