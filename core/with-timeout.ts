/** What `withTimeout` rejects with when the work did not settle in time. */
export class Timeout extends Error {}

/**
 * `work`, or a rejection with Timeout after `ms`. One promise and one timer (not a race and a
 * finally): a disk in alert is read every 700 ms.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
