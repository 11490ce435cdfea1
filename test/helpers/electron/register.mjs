// `node --import ./test/helpers/electron/register.mjs`, or imported before anything that loads
// `electron`: maps the `electron` module to the recording fake, for electron-store and the
// app's own bootstrap. The real package would try to download its binary.
import { register } from 'node:module';

register('./resolve.mjs', import.meta.url);
