const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const graphemesOf = (s: string): string[] => [...segmenter.segment(s)].map((g) => g.segment);

/** No lone surrogate: what `String.prototype.isWellFormed` says (ES2024, newer than our lib). */
export const wellFormed = (s: string): boolean =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
