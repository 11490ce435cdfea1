import { readSmallFile } from '../core/fs/small-file.js';
import { UserError } from './errors.js';
import { writeErr } from './output.js';

/** Asked of a password: long enough that guessing it, even unhindered, takes long. */
export const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

/**
 * A new password, never from argv (which `ps` shows to every user): typed at a terminal without
 * echo, twice; otherwise the first line of standard input (`pass show headroom | headroom ui
 * --set-password`).
 */
export async function readNewPassword(): Promise<string> {
  const isTty = process.getBuiltinModule('node:tty').isatty(0);
  let password: string;
  if (isTty) {
    password = await typed('New web UI password: ');
    if ((await typed('Again: ')) !== password)
      throw new UserError('the two passwords differ; nothing was changed.');
  } else {
    password = readSmallFile(0, 64 * 1024).text.split(/\r?\n/)[0] ?? '';
  }
  if (password.length < MIN_PASSWORD)
    throw new UserError(
      `the password is ${password.length ? 'too short' : 'empty'}: give at least ${MIN_PASSWORD} characters${isTty ? '' : ' on the first line of standard input'}; nothing was changed.`,
    );
  if (password.length > MAX_PASSWORD)
    throw new UserError(`the password is longer than ${MAX_PASSWORD} characters; nothing was changed.`);
  return password;
}

/** One line typed at the terminal, shown as nothing; Ctrl-C or Ctrl-D cancels. */
function typed(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows: whatever is typed once it is there is never echoed.
  stdin.setRawMode(true);
  writeErr(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      writeErr('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return done();
        if (c === '\u0003' || c === '\u0004') return done(new UserError('cancelled; nothing was changed.'));
        if (c === '\u007f' || c === '\b') line = line.slice(0, -1);
        else if (c >= ' ') line += c;
      }
    };
    stdin.on('data', onData);
  });
}
