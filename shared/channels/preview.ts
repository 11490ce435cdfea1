import { fullText, title, type AlertEvent } from '../event.js';
import type { Channel, Preview } from './channel.js';
import { cutsIn } from './limits.js';

/**
 * What a person will see, for the GUI's preview and the CLI's `--dry-run`: what the channel shows
 * first (`Channel.shown`: by default the alert's title and text), and whether the request
 * `render` makes for it cut any text short — learnt from render itself, so no adapter can say
 * otherwise.
 */
export function previewOf<C>(channel: Channel<C>, event: AlertEvent, config: C): Preview {
  let truncated = false;
  try {
    const { value, cut } = cutsIn(() => channel.render(event, config));
    truncated = cut;
    // Only its texts matter here: a request still being made (signed) is let go.
    if (value instanceof Promise) value.catch(() => undefined);
  } catch {
    // A request that cannot be made fails when sent, with its reason; the preview still shows.
  }
  const shown = channel.shown?.(event, config) ?? { title: title(event), text: fullText(event) };
  return { ...shown, truncated };
}
