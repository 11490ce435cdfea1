import type { Outcome } from '../../shared/http-outcome.js';
import { shortWait } from '../../shared/retry.js';

/**
 * Asks, and asks again while the receiver says to shortly (see SHORT_WAIT): the one rule for a
 * save's check and a Send test, where someone waits for the answer. Every answer, the last last.
 */
export async function askWithShortWaits<T extends { outcome: Outcome }>(ask: () => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (;;) {
    const answer = await ask();
    answers.push(answer);
    const wait = shortWait(answer.outcome, answers.length);
    if (wait === undefined) return answers;
    await new Promise((wake) => setTimeout(wake, wait));
  }
}
