import { deflateSync } from 'node:zlib';
import type { TrayIconState } from './tray-model.js';

/** Colours that read on light and dark panels alike: saturated fill, contrasting outline. */
const COLORS: Record<TrayIconState, [number, number, number]> = {
  ok: [0x12, 0xb7, 0x6a],
  warning: [0xf7, 0x90, 0x09],
  critical: [0xd9, 0x2d, 0x20],
  unreachable: [0x98, 0xa2, 0xb3],
  paused: [0x66, 0x70, 0x85],
};

/** Where a pixel lies in the drawing; a paint turns it into a colour and an opacity. */
type Spot = { edge: boolean; hole: boolean };
type Paint = (spot: Spot) => [r: number, g: number, b: number, opacity: number];

const WHITE = [255, 255, 255] as const;

const coloured =
  (state: TrayIconState): Paint =>
  ({ edge, hole }) =>
    edge || hole ? [...WHITE, 1] : [...COLORS[state], 1];

/**
 * macOS template image: black with alpha only, tinted by the menu bar for light and dark mode
 * (https://developer.apple.com/documentation/appkit/nsimage/istemplate). With no colour left, the
 * shape tells the states apart: ok a filled disk, unreachable only its ring, paused the disk with
 * the pause mark cut out.
 */
const template =
  (state: TrayIconState): Paint =>
  ({ edge, hole }) => {
    const inked = state === 'unreachable' ? edge : !hole;
    return [0, 0, 0, inked ? 1 : 0];
  };

/**
 * The tray icon as a PNG, drawn here rather than shipped as images: a disk (ring) whose fill
 * shows the state, with a light outline and a dark inner edge so it stands out on any panel.
 */
export function trayIconPng(state: TrayIconState, size: number): Buffer {
  return drawIcon(size, state === 'paused', coloured(state));
}

/** Windows 125 %/150 % DPI and HiDPI Linux panels pick the nearest scale; a missing one is blurred. */
const SCALE_FACTORS = [1, 1.25, 1.5, 2, 3];

/** Alerts stay coloured on macOS too, so they stand out in a monochrome menu bar. */
const TEMPLATE_STATES: ReadonlySet<TrayIconState> = new Set(['ok', 'paused', 'unreachable']);

/** Every representation of the tray image, 16 px at scale factor 1; `template` for `setTemplateImage`. */
export function trayImageSet(
  state: TrayIconState,
  platform: NodeJS.Platform,
): { template: boolean; representations: { scaleFactor: number; buffer: Buffer }[] } {
  const isTemplate = platform === 'darwin' && TEMPLATE_STATES.has(state);
  const paint = isTemplate ? template(state) : coloured(state);
  return {
    template: isTemplate,
    representations: SCALE_FACTORS.map((scaleFactor) => ({
      scaleFactor,
      buffer: drawIcon(16 * scaleFactor, state === 'paused', paint),
    })),
  };
}

function drawIcon(size: number, paused: boolean, paint: Paint): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const outer = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const i = (y * size + x) * 4;
      // Anti-aliased edge: coverage falls from 1 to 0 across the last pixel.
      const alpha = Math.max(0, Math.min(1, outer - d));
      const edge = d > outer - size / 10;
      const hole = paused && Math.abs(x - c) < size / 10 && Math.abs(y - c) < size / 4;
      const [r, g, b, opacity] = paint({ edge, hole });
      pixels[i] = r;
      pixels[i + 1] = g;
      pixels[i + 2] = b;
      pixels[i + 3] = Math.round(alpha * opacity * 255);
    }
  }
  return encodePng(size, size, pixels);
}

function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
