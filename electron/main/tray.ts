import type { MenuItemConstructorOptions } from 'electron';
import { trayImageSet } from './tray-icons.js';
import type { MenuItemModel, TrayAction, TrayIconState, TrayModel } from './tray-model.js';
import type { Image, Surfaces, TrayLike } from './surfaces.js';

/**
 * The tray, driven by a `TrayModel`: one `render()`. A context menu is always set, because Linux
 * app indicators ignore clicks on the icon itself. Each part is replaced only when it changed:
 * rebuilding the menu while it is open makes it flicker or close on Linux and Windows, and the
 * watcher renders on every sample.
 */
export class TrayController {
  private readonly tray: TrayLike;
  private readonly images = new Map<TrayIconState, Image>();
  private shown: { icon?: TrayIconState; tooltip?: string; menu?: string } = {};

  constructor(
    private readonly os: Pick<Surfaces, 'Tray' | 'Menu' | 'nativeImage'>,
    private readonly platform: NodeJS.Platform,
    private readonly onAction: (action: TrayAction) => void,
  ) {
    this.tray = new os.Tray(this.image('ok'));
    this.shown.icon = 'ok';
    this.tray.on('click', () => onAction('open'));
  }

  render(model: TrayModel): void {
    if (model.icon !== this.shown.icon) this.tray.setImage(this.image(model.icon));
    if (model.tooltip !== this.shown.tooltip) this.tray.setToolTip(model.tooltip);
    const menu = JSON.stringify(model.menu);
    if (menu !== this.shown.menu)
      this.tray.setContextMenu(this.os.Menu.buildFromTemplate(model.menu.map((item) => this.menuItem(item))));
    this.shown = { icon: model.icon, tooltip: model.tooltip, menu };
  }

  private menuItem(item: MenuItemModel): MenuItemConstructorOptions {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, submenu: item.items.map((i) => this.menuItem(i)) };
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          click: () => this.onAction(item.action),
        };
      default:
        return {
          label: item.label,
          enabled: item.enabled ?? true,
          click: () => this.onAction(item.action),
        };
    }
  }

  destroy(): void {
    this.tray.destroy();
  }

  private image(state: TrayIconState): Image {
    let image = this.images.get(state);
    if (!image) {
      const set = trayImageSet(state, this.platform);
      const [first, ...rest] = set.representations;
      image = this.os.nativeImage.createFromBuffer(first!.buffer, { scaleFactor: first!.scaleFactor });
      for (const r of rest) image.addRepresentation({ scaleFactor: r.scaleFactor, buffer: r.buffer });
      image.setTemplateImage(set.template);
      this.images.set(state, image);
    }
    return image;
  }
}
