import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { inflateSync } from 'node:zlib';
import type { Configuration } from 'app-builder-lib';
import { convertIcon } from 'app-builder-lib/out/util/iconConverter.js';
import { appIconFiles } from '../../electron/main/app-icons.js';
import { trayImageSet } from '../../electron/main/tray-icons.js';
import type { TrayIconState } from '../../electron/main/tray-model.js';
import { builderConfig } from '../helpers/builder-config.js';

const require = createRequire(import.meta.url);
// getDefaultDepends is private in the typings; it is electron-builder's own default list.
const FpmTarget = require('app-builder-lib/out/targets/FpmTarget.js').default as {
  prototype: { getDefaultDepends(target: string): string[] };
};

/** Width, height and RGBA rows of a PNG written by our encoder (one IDAT, filter 0 on every row). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const stride = width * 4 + 1;
  assert.equal(raw.length, stride * height);
  const rows = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * stride], 0, 'filter type 0');
    rows.push(raw.subarray(y * stride + 1, (y + 1) * stride));
  }
  return { width, height, rgba: Buffer.concat(rows) };
}

/** The images of an .ico: size from the ICONDIRENTRY (0 means 256) and the embedded bytes. */
function parseIco(ico: Buffer): { size: number; data: Buffer }[] {
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1], 'reserved 0, type 1 (icon)');
  return Array.from({ length: ico.readUInt16LE(4) }, (_, n) => {
    const entry = 6 + 16 * n;
    assert.equal(ico[entry], ico[entry + 1], 'square');
    const data = ico.subarray(
      ico.readUInt32LE(entry + 12),
      ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
    );
    return { size: ico[entry] || 256, data };
  });
}

describe('installer packaging', () => {
  let config: Configuration;
  before(async () => {
    config = await builderConfig();
  });

  it('the .deb depends on everything Electron needs on a minimal Debian, libsecret included', () => {
    // FpmTarget merges linux and deb options, and a depends list replaces the defaults.
    const options: { depends?: string[] | null } = { ...config.linux, ...config.deb };
    const depends = options.depends ?? FpmTarget.prototype.getDefaultDepends.call(undefined, 'deb');
    for (const name of [
      'libgtk-3-0',
      'libnss3',
      'libnotify4',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
    ])
      assert.ok(depends.includes(name), `${name} missing from ${JSON.stringify(depends)}`);
  });

  describe('icons', () => {
    const files = appIconFiles();
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'headroom-icons-'));
      await mkdir(join(dir, 'build/icons'), { recursive: true });
      for (const [name, data] of Object.entries(files)) await writeFile(join(dir, 'build/icons', name), data);
    });
    after(() => rm(dir, { recursive: true, force: true }));

    // electron-builder's own resolution (roots as in PlatformPackager.resolveIcon), against the
    // files dist.mjs writes; only the .icns conversion needs a native tool, so mac is checked by hand.
    const resolve = (sources: string[], format: 'ico' | 'set') =>
      convertIcon({
        sources,
        fallbackSources: [],
        roots: [join(dir, 'build'), dir],
        format,
        outDir: join(dir, 'out'),
      });

    it('every PNG is named after its size, from 16 to 1024 px', () => {
      const pngs = Object.keys(files).filter((name) => name.endsWith('.png'));
      assert.deepEqual(
        pngs,
        [16, 32, 48, 64, 128, 256, 512, 1024].map((s) => `${s}x${s}.png`),
      );
      for (const name of pngs) {
        const { width, height } = decodePng(files[name]!);
        assert.equal(`${width}x${height}.png`, name);
      }
    });

    it('the Windows icon is an .ico of 16 to 256 px PNGs that electron-builder accepts', async () => {
      assert.equal(config.win?.icon, 'build/icons/icon.ico');
      const images = parseIco(files['icon.ico']!);
      assert.deepEqual(
        images.map((i) => i.size),
        [16, 24, 32, 48, 64, 128, 256],
      );
      for (const { size, data } of images) assert.equal(decodePng(data).width, size);
      const { icons, isFallback } = await resolve([config.win.icon], 'ico');
      assert.equal(isFallback, false);
      assert.deepEqual(icons, [{ file: join(dir, 'build/icons/icon.ico'), size: 256 }]);
    });

    it('the macOS icon is the 1024 px PNG that the .icns is built from', () => {
      assert.equal(config.mac?.icon, 'build/icons/1024x1024.png');
      assert.equal(decodePng(files['1024x1024.png']!).width, 1024);
    });

    it('the Linux icon set electron-builder collects from build/icons is every PNG size', async () => {
      assert.equal(config.linux?.icon, 'build/icons');
      // LinuxTargetHelper.computeDesktopIcons: linux.icon first, then mac.icon.
      const { icons, isFallback } = await resolve([config.linux.icon, config.mac!.icon!], 'set');
      assert.equal(isFallback, false);
      assert.deepEqual(
        icons.map((i) => `${relative(dir, i.file)}@${i.size}`),
        [16, 32, 48, 64, 128, 256, 512, 1024].map((s) => `build/icons/${s}x${s}.png@${s}`),
      );
    });
  });
});

describe('tray images', () => {
  const states: TrayIconState[] = ['ok', 'warning', 'critical', 'unreachable', 'paused'];
  const colours: Record<TrayIconState, number[]> = {
    ok: [0x12, 0xb7, 0x6a],
    warning: [0xf7, 0x90, 0x09],
    critical: [0xd9, 0x2d, 0x20],
    unreachable: [0x98, 0xa2, 0xb3],
    paused: [0x66, 0x70, 0x85],
  };
  // Below the centre: inside the fill for every state (the centre of 'paused' is its pause mark).
  const fillPixel = ({ width, rgba }: { width: number; rgba: Buffer }) => {
    const i = (Math.round(width * 0.8) * width + width / 2) * 4;
    return [...rgba.subarray(i, i + 4)];
  };

  it('has 16, 20, 24, 32 and 48 px images for scale factors 1 to 3 in every state on every platform', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const)
      for (const state of states) {
        const { representations } = trayImageSet(state, platform);
        assert.deepEqual(
          representations.map((r) => [r.scaleFactor, decodePng(r.buffer).width, decodePng(r.buffer).height]),
          [
            [1, 16, 16],
            [1.25, 20, 20],
            [1.5, 24, 24],
            [2, 32, 32],
            [3, 48, 48],
          ],
          `${state} on ${platform}`,
        );
      }
  });

  it('on macOS ok, paused and unreachable are black template images of three different shapes', () => {
    const alphas = (['ok', 'paused', 'unreachable'] as const).map((state) => {
      const set = trayImageSet(state, 'darwin');
      assert.equal(set.template, true, state);
      return set.representations.map(({ buffer }) => {
        const { rgba } = decodePng(buffer);
        const alpha = rgba.filter((_, i) => i % 4 === 3);
        assert.ok(
          rgba.every((v, i) => i % 4 === 3 || v === 0),
          `${state}: every pixel is black`,
        );
        assert.ok(alpha.includes(0) && alpha.includes(255), `${state}: the shape is in the alpha`);
        return Buffer.from(alpha).toString('hex');
      });
    });
    for (let scale = 0; scale < 5; scale++) {
      const [ok, paused, unreachable] = alphas.map((a) => a[scale]);
      assert.notEqual(ok, paused);
      assert.notEqual(ok, unreachable);
      assert.notEqual(paused, unreachable);
    }
  });

  it('warnings and alerts stay coloured on macOS, and every state is coloured on Linux and Windows', () => {
    const cases = [
      ...(['warning', 'critical'] as const).map((state) => [state, 'darwin'] as const),
      ...states.flatMap((state) =>
        (['linux', 'win32'] as const).map((platform) => [state, platform] as const),
      ),
    ];
    for (const [state, platform] of cases) {
      const set = trayImageSet(state, platform);
      assert.equal(set.template, false, `${state} on ${platform}`);
      for (const { buffer } of set.representations)
        assert.deepEqual(fillPixel(decodePng(buffer)), [...colours[state], 255], `${state} on ${platform}`);
    }
  });
});
