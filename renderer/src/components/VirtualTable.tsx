import { useEffect, useState, type ReactNode } from 'react';

/**
 * A table that renders only the rows in view (plus a margin), so a history of 10,000+ deliveries
 * scrolls as smoothly as one of ten. Rows have a fixed height (which may change with the width).
 * `onNearEnd` runs when the last rows come into view, for lists loaded a page at a time.
 * `render` gives a row's cells (elements with role="cell"); `header` the column headers.
 */
export function VirtualTable<T>({
  items,
  rowKey,
  rowHeight,
  height,
  render,
  label,
  header,
  rowProps,
  onNearEnd,
  overlay,
}: {
  items: T[];
  /**
   * What a row is, not where it is: a row that arrives above keeps focus (and a keyboard user's
   * place) on the item it was on, where a position key would move it to the item sliding under it.
   */
  rowKey: (item: T) => string;
  rowHeight: number;
  height: number;
  render: (item: T, index: number) => ReactNode;
  label: string;
  header: ReactNode;
  rowProps?: (item: T) => { className?: string; onClick?: () => void };
  onNearEnd?: () => void;
  /** Drawn over the rows, in their coordinates (a tip under the focused row). */
  overlay?: ReactNode;
}) {
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + 10);
  const nearEnd = last >= items.length;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, items.length]);
  return (
    // Only some rows exist at a time: aria-rowcount and aria-rowindex tell assistive tech the whole.
    <div className="virtual-table" role="table" aria-label={label} aria-rowcount={items.length + 1}>
      <div role="rowgroup" className="virtual-head">
        <div role="row" aria-rowindex={1} className="table-row table-head">
          {header}
        </div>
      </div>
      <div
        className="virtual"
        role="rowgroup"
        tabIndex={0}
        aria-label={`${label}: rows`}
        style={{ height }}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      >
        <div role="presentation" style={{ height: items.length * rowHeight, position: 'relative' }}>
          {items.slice(first, last).map((item, i) => {
            const extra = rowProps?.(item) ?? {};
            return (
              <div
                key={rowKey(item)}
                role="row"
                aria-rowindex={first + i + 2}
                {...extra}
                className={`virtual-row table-row ${extra.className ?? ''}`}
                style={{ top: (first + i) * rowHeight, height: rowHeight }}
              >
                {render(item, first + i)}
              </div>
            );
          })}
          {overlay}
        </div>
      </div>
    </div>
  );
}
