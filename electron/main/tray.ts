import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { trayIconPng } from './tray-icons.js';
import type { TrayAction, TrayIconState, TrayModel } from './tray-model.js';

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
    const template: MenuItemConstructorOptions[] = model.menu.map((item) => {
      switch (item.type) {
        case 'separator':
          return { type: 'separator' };
        case 'label':
          return { label: item.label, enabled: false };
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
    });
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
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
