import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { trayIconPng } from './tray-icons.js';
import type { MenuItemModel, TrayAction, TrayIconState, TrayModel } from './tray-model.js';

/**
 * The tray, driven by a `TrayModel`: one `render()`. A context menu is always set, because Linux
 * app indicators ignore clicks on the icon itself.
 */
export class TrayController {
  private readonly tray: Tray;
  private readonly images = new Map<TrayIconState, NativeImage>();

  constructor(private readonly onAction: (action: TrayAction) => void) {
    this.tray = new Tray(this.image('ok'));
    this.tray.on('click', () => onAction('open'));
  }

  render(model: TrayModel): void {
    this.tray.setImage(this.image(model.icon));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(model.menu.map((item) => this.menuItem(item))));
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

  private image(state: TrayIconState): NativeImage {
    let image = this.images.get(state);
    if (!image) {
      image = nativeImage.createFromBuffer(trayIconPng(state, 16));
      image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(state, 32) });
      this.images.set(state, image);
    }
    return image;
  }
}
