import { createHash } from './builtins.js';

/**
 * The web UI's login page: plain HTML drawn by the watcher, with no script, so it works before the
 * app's code has anything to talk to and in any browser. Its one style sheet is allowed by its hash;
 * its colours are the app's (renderer/src/styles/base.css).
 */
const STYLE = `
:root { color-scheme: light dark; font: 16px/1.5 system-ui, sans-serif;
  --bg: #f6f7f9; --text: #15191e; --accent: #1f5fbf; --bad: #b42318; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #101418; --text: #e7ebf0; --accent: #7fb0ff; --bad: #ff8a80; }
}
body { margin: 0; display: grid; min-height: 100vh; place-items: center; background: var(--bg); color: var(--text); }
main { width: min(22rem, calc(100vw - 2rem)); }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input, button { font: inherit; box-sizing: border-box; width: 100%; padding: .6rem .75rem; border-radius: .4rem; }
input { border: 1px solid #767676; background: var(--bg); color: var(--text); }
button { margin-top: .75rem; border: 0; background: var(--accent); color: var(--bg); cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.error { color: var(--bad); font-weight: 600; }
`;

const STYLE_HASH = () => `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export const loginCsp = () =>
  `default-src 'none'; style-src ${STYLE_HASH()}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export type LoginState =
  | { kind: 'form'; error?: string }
  /** No password is set: the page says how to get in. */
  | { kind: 'off' };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(state: LoginState): string {
  const body =
    state.kind === 'off'
      ? `<p>Password login is off for this watcher. Open the address with its access token: <code>headroom watch --ui</code> prints it at start, or saves it in <code>ui-url</code> in its data folder. To log in with a password instead, set one with <code>headroom ui --set-password</code>.</p>`
      : `<form method="post" action="login">
<input type="text" name="username" value="headroom" autocomplete="username" hidden>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus${state.error ? ' aria-invalid="true" aria-describedby="error"' : ''}>
${state.error ? `<p id="error" class="error" role="alert">${escape(state.error)}</p>` : ''}
<button type="submit">Log in</button>
</form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Headroom</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Headroom</h1>
${body}
</main>
</body>
</html>
`;
}
