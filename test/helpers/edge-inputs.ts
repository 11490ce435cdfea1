/**
 * Mount names at the edges of what a machine can have, for the tables that run them through
 * every adapter: long, made of multi-unit graphemes, full of markup and mentions.
 */
export const MARKUP_MOUNT =
  '/mnt/*bold* _it_ ~gone~ `code` <!channel> <@U0123ABC> <#C0123|ops> @here @channel @everyone @all ' +
  '[click](https://example.com) **x** __y__ > quote | # & <b> \\*';

export const EDGE_MOUNTS: { name: string; mount: string }[] = [
  { name: '1,000-character mount', mount: `/mnt/${'x'.repeat(995)}` },
  { name: '10,000-character mount', mount: `/mnt/${'y'.repeat(9995)}` },
  // Each grapheme several UTF-16 units: a ZWJ family (11), a flag (4), an emoji (2), an accent (2).
  { name: 'emoji mount', mount: `/mnt/${'👩‍👩‍👧‍👦🇫🇷😀e\u0301'.repeat(300)}` },
  { name: 'Markdown and mention characters', mount: MARKUP_MOUNT },
];

/** 100 disks whose long names differ only at the end: their keys must stay apart. */
export const HUNDRED_DISKS = Array.from(
  { length: 100 },
  (_, i) => `/srv/${'shared-prefix/'.repeat(70)}disk-${String(i).padStart(3, '0')}`,
);
