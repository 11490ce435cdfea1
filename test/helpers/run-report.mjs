// The second reporter of `npm run test:unit`, beside spec: what skipped (skip-report.mjs) and which
// files were slowest (slow-report.mjs), both from one pass over the events. One reporter rather
// than two: Node's runner warns of a listener leak from three.
// Plain JavaScript: the test runner loads its reporters as they are, before any loader.
import skipReport from './skip-report.mjs';
import slowReport from './slow-report.mjs';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* runReport(source) {
  const events = [];
  for await (const event of source)
    if (['test:pass', 'test:fail', 'test:complete'].includes(event.type)) events.push(event);
  yield* skipReport(events);
  yield* slowReport(events);
}
