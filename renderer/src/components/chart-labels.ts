import type uPlot from 'uplot';

/** A rectangle on the chart's canvas, in its (device) pixels. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

type Run = [x: number, y: number][];

/** A series in canvas pixels, one polyline per unbroken run (a gap in the data breaks the line). */
export function linePoints(u: uPlot, series: number): Run[] {
  const ys = u.data[series];
  if (!ys) return [];
  const runs: Run[] = [];
  let run: Run = [];
  u.data[0].forEach((x, i) => {
    const y = ys[i];
    if (y === null || y === undefined) {
      // The forecast spans its gaps (it has two points); the data line does not.
      if (!u.series[series]?.spanGaps && run.length) {
        runs.push(run);
        run = [];
      }
      return;
    }
    run.push([u.valToPos(x, 'x', true), u.valToPos(y, 'y', true)]);
  });
  if (run.length) runs.push(run);
  return runs.filter((r) => r.length > 0);
}

/** Whether any run passes through the box widened by `pad` (a lone point counts as itself). */
function crosses(b: Box, runs: Run[], pad: number): boolean {
  const [l, r, t, bt] = [b.left - pad, b.right + pad, b.top - pad, b.bottom + pad];
  return runs.some((run) =>
    run.some((p, i) => {
      const q = run[i + 1] ?? p;
      if (i > 0 && i === run.length - 1) return false;
      const [x0, y0, x1, y1] = p[0] <= q[0] ? [...p, ...q] : [...q, ...p];
      if (x1 < l || x0 > r) return false;
      // The segment's y where it enters and leaves the box's columns: a straight line between.
      const yAt = (x: number) => (x1 === x0 ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0));
      const ya = yAt(Math.max(x0, l));
      const yb = yAt(Math.min(x1, r));
      const lo = x1 === x0 ? Math.min(y0, y1) : Math.min(ya, yb);
      const hi = x1 === x0 ? Math.max(y0, y1) : Math.max(ya, yb);
      return hi >= t && lo <= bt;
    }),
  );
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Where a threshold's label goes: just above or below its line (at `y`), at the left first, then
 * the right, then between, wherever neither the data line nor the forecast dash runs and no other
 * label is. With nowhere free, above the line at the left (it is at least readable there).
 */
export function labelBox(u: uPlot, y: number, textWidth: number, lines: Run[][], placed: Box[]): Box {
  const px = devicePixelRatio;
  const height = 13 * px;
  const gap = 4 * px;
  const { left, top, width, height: plotHeight } = u.bbox;
  const room = Math.max(0, width - textWidth - 2 * gap);
  const candidates = [0, 1, 0.5, 0.25, 0.75].flatMap((f) =>
    [y - height, y + 2 * px].map((boxTop) => {
      const t = Math.min(Math.max(boxTop, top), top + plotHeight - height);
      const l = left + gap + room * f;
      return { left: l, top: t, right: l + textWidth, bottom: t + height };
    }),
  );
  const free = (b: Box) => !placed.some((p) => overlaps(p, b));
  return (
    candidates.find((b) => free(b) && !lines.some((runs) => crosses(b, runs, 2 * px))) ??
    candidates.find(free) ??
    candidates[0]!
  );
}
