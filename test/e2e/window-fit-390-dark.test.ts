import { describe } from '../helpers/node-test.js';
import { webUiSkip } from '../helpers/web-ui-rig.js';
import { fitsEveryPage } from '../helpers/window-fit.js';
import { windowRig } from '../helpers/window-rig.js';

/**
 * Issue 20, checked the way it asks: the web UI (the same renderer as the window) in Chromium at
 * 390 px (tray size), dark, against the real watcher. One file per size and colour scheme: each is a
 * quarter of a minute's work for Chromium alone, and the files run side by side.
 */
describe('the window at 390 px, dark', { skip: webUiSkip }, () => {
  fitsEveryPage(windowRig(), 390, 844, 'dark');
});
