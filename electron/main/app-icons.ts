import { trayIconPng } from './tray-icons.js';

/** Linux hicolor sizes; 1024 px is what macOS builds its .icns from (512 pt @2x). */
const PNG_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
/**
 * 16–32 px: title bar and taskbar at 100–200 % DPI; 48–256 px: Explorer views and Start
 * (https://learn.microsoft.com/en-us/windows/apps/design/style/iconography/app-icon-construction).
 */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** The installer icons by file name, for build/icons/ (see build/electron-builder.yml). */
export function appIconFiles(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const size of PNG_SIZES) files[`${size}x${size}.png`] = trayIconPng('ok', size);
  files['icon.ico'] = encodeIco(ICO_SIZES.map((size) => ({ size, png: trayIconPng('ok', size) })));
  return files;
}

/** ICO with PNG-compressed entries, read by Windows since Vista: https://en.wikipedia.org/wiki/ICO_(file_format) */
function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = entry[1] = size % 256; // width and height; 0 means 256
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}
