import type { TestPki } from '../../test/helpers/tls.js';
import type { Row } from './stats.js';

/** What every section gets: where its rows and raw figures go, and the run's shared parts. */
export interface BenchContext {
  rows: Row[];
  raw: Record<string, unknown>;
  pki: TestPki;
  /** Why mounting a tmpfs or an ext4 image is impossible here, or false. */
  noRoot: string | false;
  trials: number;
  idleSeconds: number;
}

/** One section of `npm run bench`, selectable by a word of its name (`npm run bench -- crossing`). */
export interface Section {
  name: string;
  /** Why it cannot run on this machine, or false. */
  skip: (ctx: BenchContext) => string | false;
  run: (ctx: BenchContext) => Promise<void>;
}

/** A difference with its sign: `+1.2 MiB`, `−3 ms`. */
export const signed = (n: number, format: (n: number) => string) =>
  `${n < 0 ? '−' : '+'}${format(Math.abs(n))}`;
