// The window's text as a reader sees it (issue 32): words whole on their line, History rows that
// can be told apart by what they show, a heading over every column shown, no text cut without an
// ellipsis. Each is a script evaluated in the page that returns what it found wrong, for the message.

/**
 * Words broken across two lines ("Webhoo|k", "O|n"): each word's boxes as laid out must share one
 * line (a hyphen is a place to break, as in "on-|call"). Machine strings — paths, URLs, addresses,
 * templates, anything of 25 characters or more — may wrap anywhere (they would otherwise widen the
 * page), and so may text read only by screen readers.
 */
export const brokenWords = `(() => {
  // Text kept for screen readers only is drawn clipped to a box of a pixel, a letter a line.
  const unseen = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      if (s.clipPath !== 'none' || (s.clip !== 'auto' && s.position === 'absolute')) return true;
      if (s.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
    }
    return false;
  };
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('option, script, style') || unseen(n.parentElement)) continue;
    for (const m of n.textContent.matchAll(/[^\\s-]+/g)) {
      const word = m[0];
      if (word.length >= 25 || /[/\\\\@:={}<>"\`$]/.test(word)) continue;
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + word.length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) found.push('a word broken across lines: "' + word + '" in "' + n.textContent.trim().slice(0, 60) + '"');
    }
  }
  return [...new Set(found)].slice(0, 10);
})()`;

/** Shared by the History checks: each text node's characters as drawn, clipped ones left out. */
const drawnText = `
  const clippers = (node, upTo) => {
    const out = [];
    for (let e = node.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') out.push(e);
      if (e === upTo) break;
    }
    return out;
  };
  // Where an ellipsis is drawn: at the end of a box whose text overflows it (the left for rtl).
  // Measured on a canvas, once per box: a probe in the page would lay it out again each time.
  const ctx = document.createElement('canvas').getContext('2d');
  const zones = new Map();
  const ellipsisZone = (e) => {
    if (zones.has(e)) return zones.get(e);
    const s = getComputedStyle(e);
    let zone = null;
    if (s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1) {
      ctx.font = s.font;
      const w = ctx.measureText('…').width;
      const r = e.getBoundingClientRect();
      zone = s.direction === 'rtl' ? { left: r.left, right: r.left + w } : { left: r.right - w, right: r.right };
    }
    zones.set(e, zone);
    return zone;
  };
  /** The text of \`cell\` as it reads on screen: hidden characters become one "…" per run. */
  const drawn = (cell) => {
    let out = '';
    let gap = false;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const boxes = clippers(n, cell).map((e) => ({ r: e.getBoundingClientRect(), z: ellipsisZone(e) }));
      for (let i = 0; i < n.textContent.length; i++) {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        const c = range.getBoundingClientRect();
        const shown = boxes.every(({ r, z }) =>
          c.left >= r.left - 0.5 && c.right <= r.right + 0.5 && !(z && c.right > z.left + 0.5 && c.left < z.right - 0.5));
        if (shown) out += (gap ? '…' : '') + n.textContent[i];
        gap = !shown;
      }
    }
    return out + (gap ? '…' : '');
  };`;

/**
 * History cells, integration or disk, that read the same on screen for different names ("Pag…:19600 2"
 * twice, "…/mnt" for two mounts): the whole names are in the cells' titles.
 */
export const alikeRows = `(() => {
  ${drawnText}
  const found = [];
  for (const col of ['.col-integration', '.col-disk']) {
    const seen = new Map();
    for (const cell of document.querySelectorAll('.history-row ' + col)) {
      if (!cell.getBoundingClientRect().width) continue;
      const read = drawn(cell);
      const whole = cell.querySelector('[title]')?.title ?? cell.textContent;
      (seen.get(read) ?? seen.set(read, new Set()).get(read)).add(whole);
    }
    for (const [read, wholes] of seen)
      if (wholes.size > 1) found.push('rows read alike, "' + read + '", for ' + [...wholes].join(' and '));
  }
  return found;
})()`;

/** Columns shown in History's rows without their heading shown, whole, in the header. */
export const missingHeaders = `(() => {
  const shown = new Set();
  for (const cell of document.querySelectorAll('.history-row [role=cell]'))
    if (cell.getBoundingClientRect().width) shown.add([...cell.classList].find((c) => c.startsWith('col-')));
  const found = [];
  for (const col of shown) {
    const head = document.querySelector('.table-head .' + col);
    const r = head?.getBoundingClientRect();
    if (!r || !r.width || head.scrollWidth > head.clientWidth + 1)
      found.push('the ' + col.slice(4) + ' column has no heading shown' + (r?.width ? ' whole' : ''));
  }
  return found;
})()`;

/**
 * Text in History cut by its box with no ellipsis to say so ("critical → unreacha"). The end
 * of a name cut in the middle is clipped on its left, next to the ellipsis its start ends in.
 */
export const clippedText = `(() => {
  ${drawnText}
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('.history-box'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest('.sr-only, .mid-end')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    let t = range.getBoundingClientRect();
    if (!t.width) continue;
    // Innermost box first: what a box with an ellipsis cuts is not there for the boxes around it.
    for (const e of clippers(n)) {
      const r = e.getBoundingClientRect();
      if (t.right <= r.right + 1 && t.left >= r.left - 1) continue;
      if (!ellipsisZone(e) || /flex|grid/.test(getComputedStyle(e).display)) {
        found.push('"' + n.textContent.trim() + '" cut by its box with no ellipsis');
        break;
      }
      t = { left: Math.max(t.left, r.left), right: Math.min(t.right, r.right) };
    }
  }
  return [...new Set(found)].slice(0, 10);
})()`;
