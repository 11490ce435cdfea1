import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { Surfaces } from '../../electron/main/surfaces.js';

export type Record = (surface: string, call: string, ...args: unknown[]) => void;

const unused = (what: string) => () => {
  throw new Error(`the fake does not implement ${what}: Headroom does not use it`);
};

/**
 * The fake's tray side (see fake-electron.ts): images, menus, the tray and notifications, each
 * call recorded.
 */
export function trayFakes(record: Record, notificationsSupported = true) {
  class FakeImage implements Electron.NativeImage {
    readonly representations: Electron.AddRepresentationOptions[] = [];
    isMacTemplateImage = false;
    constructor(buffer: Buffer, scaleFactor = 1) {
      this.representations.push({ buffer, scaleFactor });
    }
    addRepresentation(r: Electron.AddRepresentationOptions) {
      this.representations.push(r);
    }
    setTemplateImage(on: boolean) {
      this.isMacTemplateImage = on;
    }
    isTemplateImage() {
      return this.isMacTemplateImage;
    }
    getScaleFactors() {
      return this.representations.map((r) => r.scaleFactor ?? 1);
    }
    isEmpty() {
      return this.representations.length === 0;
    }
    toPNG() {
      return this.representations[0]!.buffer!;
    }
    crop = unused('NativeImage.crop');
    getAspectRatio = unused('NativeImage.getAspectRatio');
    getBitmap = unused('NativeImage.getBitmap');
    getNativeHandle = unused('NativeImage.getNativeHandle');
    getSize = unused('NativeImage.getSize');
    resize = unused('NativeImage.resize');
    toBitmap = unused('NativeImage.toBitmap');
    toDataURL = unused('NativeImage.toDataURL');
    toJPEG = unused('NativeImage.toJPEG');
  }
  const nativeImage = {
    createFromBuffer(buffer: Buffer, o?: Electron.CreateFromBufferOptions): Electron.NativeImage {
      return new FakeImage(buffer, o?.scaleFactor);
    },
  };

  class FakeMenu extends EventEmitter implements Electron.Menu {
    items: Electron.MenuItem[] = [];
    constructor(readonly template: Electron.MenuItemConstructorOptions[]) {
      super();
    }
    append = unused('Menu.append');
    closePopup = unused('Menu.closePopup');
    getMenuItemById = unused('Menu.getMenuItemById');
    insert = unused('Menu.insert');
    popup = unused('Menu.popup');
  }
  const Menu = {
    buildFromTemplate(template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]): Electron.Menu {
      return new FakeMenu(template as Electron.MenuItemConstructorOptions[]);
    },
  };

  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    image: Electron.NativeImage | string;
    tooltip = '';
    menu: FakeMenu | null = null;
    menuBuilds = 0;
    destroyed = false;
    constructor(image: Electron.NativeImage) {
      super();
      this.image = image;
      trays.push(this);
      record('tray', 'new');
    }
    setImage(image: Electron.NativeImage | string) {
      this.image = image;
      record('tray', 'setImage');
    }
    setToolTip(tooltip: string) {
      this.tooltip = tooltip;
      record('tray', 'setToolTip', tooltip);
    }
    setContextMenu(menu: Electron.Menu | null) {
      this.menu = menu as FakeMenu | null;
      this.menuBuilds++;
      record('tray', 'setContextMenu');
    }
    destroy() {
      this.destroyed = true;
      record('tray', 'destroy');
    }
  }

  const notifications: {
    options: Electron.NotificationConstructorOptions;
    /** Weak, as the OS holds it: only the app keeps a notification alive. */
    ref: WeakRef<FakeNotification>;
  }[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported() {
      return notificationsSupported;
    }
    constructor(readonly options: Electron.NotificationConstructorOptions) {
      super();
    }
    show() {
      notifications.push({ options: this.options, ref: new WeakRef(this) });
      record('notification', 'show', this.options.title);
    }
    close() {
      record('notification', 'close', this.options.title);
      this.emit('close', { preventDefault() {} });
    }
  }

  // Given as the surfaces' types: the classes' own would carry EventEmitter's statics, whose
  // option types @types/node does not export, and `tsc -b` could not write them down.
  return {
    nativeImage,
    Menu,
    Tray: FakeTray as Surfaces['Tray'],
    trays,
    Notification: FakeNotification as Surfaces['Notification'],
    notifications,
  };
}
