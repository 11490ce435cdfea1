import { useEffect, useState, type ReactNode } from 'react';

/**
 * Renders only the rows in view (plus a margin), so a history of 10,000+ deliveries scrolls as
 * smoothly as one of ten. Rows have a fixed height. `onNearEnd` runs when the last rows come
 * into view, for lists loaded a page at a time.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  height,
  render,
  label,
  onNearEnd,
}: {
  items: T[];
  rowHeight: number;
  height: number;
  render: (item: T, index: number) => ReactNode;
  label: string;
  onNearEnd?: () => void;
}) {
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + 10);
  const nearEnd = last >= items.length;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, items.length]);
  return (
    <div
      className="virtual"
      role="list"
      aria-label={label}
      tabIndex={0}
      style={{ height }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        {items.slice(first, last).map((item, i) => (
          // Only some rows exist at a time: setsize/posinset tell assistive tech the whole.
          <div
            key={first + i}
            role="listitem"
            aria-setsize={items.length}
            aria-posinset={first + i + 1}
            className="virtual-row"
            style={{ top: (first + i) * rowHeight, height: rowHeight }}
          >
            {render(item, first + i)}
          </div>
        ))}
      </div>
    </div>
  );
}
