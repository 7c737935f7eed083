/**
 * Where a quotation sits in the seed: the quote must appear verbatim, up to
 * line breaks (a quote joins the seed's lines with single spaces).
 */
import { SEED_LINES } from './seedText';

export interface QuoteLines {
  readonly first: number;
  readonly last: number;
}

/** The seed lines (1-based) a quote spans, or undefined if the seed does not say it. */
export function locateQuote(quote: string, lines: readonly string[] = SEED_LINES): QuoteLines | undefined {
  let text = '';
  const lineOf: number[] = [];
  lines.forEach((line, i) => {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    for (const w of words) {
      if (text !== '') {
        text += ' ';
        lineOf.push(i + 1);
      }
      text += w;
      for (let k = 0; k < w.length; k++) lineOf.push(i + 1);
    }
  });
  const wanted = quote.trim().split(/\s+/).join(' ');
  const at = text.indexOf(wanted);
  if (wanted === '' || at < 0) return undefined;
  return { first: lineOf[at]!, last: lineOf[at + wanted.length - 1]! };
}
