import { Component, lazy, Suspense, useMemo, useState, type ComponentType, type ReactNode } from 'react';

/** The code of a part loaded on demand did not arrive: told apart from a part that failed to draw. */
class NotFetched extends Error {}

/**
 * Catches what a part of a page throws while drawing, so that the rest of the page — its banners,
 * links and other parts — stays: without it React takes down the whole page, leaving it blank.
 */
export class Contained extends Component<
  { what: string; retry: () => void; giveUp?: () => void; children: ReactNode },
  { error?: Error }
> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <p className="contained">
        <span role="status" className="error">
          {error instanceof NotFetched
            ? `Could not load ${this.props.what}: the watcher did not send it (it may have stopped or restarted).`
            : `Could not show ${this.props.what}: ${error.message}`}
        </span>{' '}
        <button type="button" onClick={this.props.retry}>
          Try again
        </button>
        {this.props.giveUp && (
          <button type="button" onClick={this.props.giveUp}>
            Cancel
          </button>
        )}
      </p>
    );
  }
}

/**
 * A component whose code is fetched when first shown (the pages people look at most stay small).
 * That fetch can fail — the watcher stopped or restarted, the network blinked — and React keeps a
 * failed lazy component failed: this one says so in its place, and Try again fetches it anew
 * (`giveUp`, when given, adds Cancel: a form that cannot open should not trap its page).
 */
export function onDemand<P extends object>(
  load: () => Promise<ComponentType<P>>,
  what: string,
  waiting: ReactNode,
): ComponentType<P & { giveUp?: () => void }> {
  // One lazy component for every place and mount of this part: a lazy made anew at each mount
  // suspends even when its code is in (React then holds the fallback ~300 ms, which was most of
  // the disk chart's Week click → drawn). Made anew only after a failed fetch, on Try again or at
  // the next mount, so a watcher back up is asked again.
  let failed = false;
  const fresh = () => {
    failed = false;
    return lazy(() =>
      load().then(
        (component) => ({ default: component }),
        (e: Error) => {
          failed = true;
          throw new NotFetched(e.message);
        },
      ),
    );
  };
  let shared = fresh();
  return function OnDemand({ giveUp, ...props }: P & { giveUp?: () => void }) {
    const [attempt, setAttempt] = useState(0);
    const Part = useMemo(() => (failed ? (shared = fresh()) : shared), [attempt]);
    return (
      <Contained key={attempt} what={what} retry={() => setAttempt((a) => a + 1)} giveUp={giveUp}>
        <Suspense fallback={waiting}>
          <Part {...(props as P)} />
        </Suspense>
      </Contained>
    );
  };
}
