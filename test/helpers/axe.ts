import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe on the page as it is (injected as a script tag if not there yet: the page's context needs `bypassCSP`)
 * and adds each serious or critical violation to `problems`, named with `where` and the elements.
 * `options` is axe.run's, as JavaScript source.
 */
export async function axe(
  page: Page,
  where: string,
  problems: string[],
  options = '{ resultTypes: ["violations"] }',
): Promise<void> {
  // Once per document: the pages of the app are one document, reached by their address's hash.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(`axe.run(document, ${options})`)) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  for (const v of result.violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      problems.push(`${where} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target).join(', ')}`);
}
