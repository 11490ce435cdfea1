import { join } from 'node:path';
import { dataDir, ensureDataDir } from '../core/data-dir.js';
import {
  clearPassword,
  hashPassword,
  newToken,
  PASSWORD_FILE,
  readPassword,
  readToken,
  savePassword,
  saveToken,
  TOKEN_FILE,
} from '../core/web-ui-secrets.js';
import type { CliIO } from './context.js';
import { CommandFailed, UserError } from './errors.js';
import type { CommandHelp } from './help.js';
import { stderrIsTerminal } from './output.js';
import { parseOptions, type OptionTable } from './options.js';
import { MIN_PASSWORD, readNewPassword } from './password-prompt.js';
import { rewriteUiUrl, UI_URL_FILE } from './watch-ui.js';

export const UI_OPTIONS = {
  'rotate-token': {
    type: 'boolean',
    help: 'make a new access token: the old one, every address with it and every password login stop working',
  },
  'set-password': {
    type: 'boolean',
    help: `set the password for logging in without the token: typed twice without echo, or the first line of standard input (at least ${MIN_PASSWORD} characters)`,
  },
  'clear-password': { type: 'boolean', help: 'turn password login off and end every password login' },
} as const satisfies OptionTable;

export const uiHelp: CommandHelp = {
  usage: ['headroom ui [--rotate-token | --set-password | --clear-password]'],
  about: `How the web UI of \`headroom watch --ui\` lets people in: with its access token (in the address it
prints, or saves in ui-url), kept in the data directory until rotated, or with a password, which
gives the browser a session cookie. Without an option, says which are set (never the secrets). A
running watcher applies a change to its next request.`,
  options: UI_OPTIONS,
};

export async function uiCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(UI_OPTIONS, argv);
  const chosen = Object.keys(UI_OPTIONS).filter((k) => values[k as keyof typeof values]);
  if (chosen.length > 1) throw new UserError(`--${chosen[0]} and --${chosen[1]}: one at a time.`);
  const dir = ensureDataDir(dataDir());
  if (values['rotate-token']) return rotate(dir, io);
  if (values['set-password']) {
    const record = await hashPassword(await readNewPassword());
    written(join(dir, PASSWORD_FILE), () => savePassword(dir, record));
    io.err(
      `headroom: web UI password set (its scrypt hash is in ${join(dir, PASSWORD_FILE)}). Log in at the web UI's /login page; earlier password logins have ended.`,
    );
    return 0;
  }
  if (values['clear-password']) {
    io.err(
      written(join(dir, PASSWORD_FILE), () => clearPassword(dir))
        ? 'headroom: web UI password cleared: password login is off and every password login has ended; the access token still works.'
        : 'headroom: no web UI password was set.',
    );
    return 0;
  }
  const token = readToken(dir);
  const password = readPassword(dir);
  io.out(
    `Access token: ${
      token === undefined
        ? 'none yet (the next `headroom watch --ui` makes one)'
        : token instanceof Error
          ? `${token.message} (the next \`headroom watch --ui\` replaces it)`
          : `kept in ${join(dir, TOKEN_FILE)}; \`headroom ui --rotate-token\` replaces it`
    }`,
  );
  io.out(
    `Password login: ${
      password === undefined
        ? 'off'
        : password instanceof Error
          ? `off: ${password.message}`
          : 'on (scrypt hash)'
    }`,
  );
  return 0;
}

function rotate(dir: string, io: CliIO): number {
  const token = newToken();
  written(join(dir, TOKEN_FILE), () => saveToken(dir, token));
  const url = written(join(dir, UI_URL_FILE), () => rewriteUiUrl(dir, token));
  const said = 'headroom: new web UI access token: the old one and every password login no longer work';
  // The token is a secret: on a terminal it is shown, never into a log or a pipe.
  if (url) io.err(`${said}. The new address is saved in ${join(dir, UI_URL_FILE)}.`);
  else if (stderrIsTerminal()) io.err(`${said}. Open the web UI's address with #token=${token}`);
  else io.err(`${said}. \`headroom watch --ui\` prints or saves the address with it at its next start.`);
  return 0;
}

/** Does `change` to `file`, or says in one line what could not be written (no stack: not a bug). */
function written<T>(file: string, change: () => T): T {
  try {
    return change();
  } catch (error) {
    throw new CommandFailed(
      `${file} could not be written (${(error as Error).message}); nothing was changed there.`,
    );
  }
}
