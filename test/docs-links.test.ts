import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from './helpers/node-test.js';
import { renderHelp } from '../cli/help.js';
import { COMMANDS } from '../cli/main.js';
import { ROOT } from './helpers/root.js';

// The README and docs/ are what users copy from: every link must lead somewhere, and every
// `headroom …` command they show must name a real command and options it accepts.
const root = ROOT;
const DOCS = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => join('docs', f))].filter((f) =>
  f.endsWith('.md'),
);
const text = (file: string) => readFileSync(join(root, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

/** The anchors a Markdown file offers: one per heading outside code blocks. */
function anchors(file: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of text(file).split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) found.add(slug(heading[1]!));
  }
  return found;
}

/** Prose and code outside fences, and the fenced blocks, of one file. */
function split(file: string): { prose: string; code: string[] } {
  const parts = text(file).split(/^```.*$/m);
  return { prose: parts.filter((_, i) => i % 2 === 0).join('\n'), code: parts.filter((_, i) => i % 2 === 1) };
}

/** `headroom CMD …` as written in code blocks and inline code, with the options it uses. */
function commandsIn(file: string): { line: string; command: string; flags: string[] }[] {
  const { prose, code } = split(file);
  const lines = [
    ...code.flatMap((block) => block.split('\n')),
    ...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!),
  ];
  const found = [];
  for (const line of lines)
    for (const m of line.matchAll(
      /(?:^|[\s$(|;&])(?:npx )?headroom (?!headroom\b)([a-z][\w:-]*)((?: +[^\s|;&)#]+)*)/g,
    )) {
      const command = m[1]!;
      const flags = [...m[2]!.matchAll(/(?:^|\s)(--[a-z][\w-]*)/g)].map((f) => f[1]!);
      found.push({ line: line.trim(), command, flags });
    }
  return found;
}

/** Options every command takes. */
const ANY_COMMAND = ['--help', '--utc'];
/** A mistyped option shown on purpose, with the CLI's answer to it. */
const shownAsMistake = (file: string, flag: string) => text(file).includes(`unknown option ${flag};`);

describe('the README and docs/', () => {
  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    let links = 0;
    for (const file of DOCS) {
      const { prose } = split(file);
      for (const [, target] of prose.replace(/`[^`\n]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        links++;
        const [path, anchor] = target!.split('#');
        const to = path ? relative(root, join(root, dirname(file), path)) : file;
        if (!existsSync(join(root, to))) broken.push(`${file}: ${target} (no file ${to})`);
        else if (anchor && to.endsWith('.md') && !anchors(to).has(anchor))
          broken.push(`${file}: ${target} (${to} has no heading #${anchor})`);
      }
    }
    assert.ok(links >= 20, `${links} links checked`);
    assert.deepEqual(broken, []);
  });

  it('show only commands and options the CLI accepts', { timeout: 30_000 }, async () => {
    const helps = new Map<string, string>();
    for (const [name, c] of Object.entries(COMMANDS)) helps.set(name, renderHelp((await c.load()).help));
    const wrong: string[] = [];
    let checked = 0;
    for (const file of DOCS)
      for (const { line, command, flags } of commandsIn(file)) {
        const name = command
          .replace(/^integration:.*/, 'integration')
          .replace(/^integrations$/, 'integration');
        if (name === 'help') continue;
        const help = helps.get(name);
        checked++;
        if (!help) wrong.push(`${file}: "${line}": no command ${command}`);
        else
          for (const flag of flags)
            if (
              !ANY_COMMAND.includes(flag) &&
              !new RegExp(`${flag}\\b`).test(help) &&
              !shownAsMistake(file, flag)
            )
              wrong.push(`${file}: "${line}": headroom ${name} has no option ${flag}`);
      }
    assert.ok(checked >= 40, `${checked} commands checked`);
    assert.deepEqual(wrong, []);
  });

  it('name no internal issue numbers', () => {
    const said = DOCS.filter((f) => /\bissues? \d+|\(#\d+\)/i.test(text(f)));
    assert.deepEqual(said, []);
  });

  it('keep the README short, with a table of contents', () => {
    const readme = text('README.md');
    assert.ok(readme.split('\n').length <= 300, `README.md has ${readme.split('\n').length} lines`);
    assert.match(readme, /^## Contents$/m);
  });
});
