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

  constructor(private readonly Notification: Surfaces['Notification']) {}

  show(options: NotificationConstructorOptions, onClick?: () => void): void {
    if (!this.Notification.isSupported()) return;
    const n = new this.Notification(options);
    const forget = () => this.live.delete(n);
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
