/**
 * Search tokens: the title normalizer's words (diacritics folded, LaTeX and Greek spelled out),
 * without one-letter words and the most common English function words, which every abstract has.
 */
import { titleTokens, titleTokensFast } from '../normalize';

export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the their this to was we were which with our these those than then also can not such using use used'.split(
    ' ',
  ),
);

/** Letters NFKD does not decompose, spelled the way people type them. */
const UNDECOMPOSED: Record<string, string> = {
  ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ß: 'ss', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  ð: 'd', þ: 'th', Þ: 'TH', ı: 'i',
}; // prettier-ignore
const UNDECOMPOSED_LETTER = /[øØæÆœŒßłŁđĐðþÞı]/g;

/** Replaces letters that accent folding leaves alone (`Rønnow` → `Ronnow`). */
export function spellOut(text: string): string {
  return text.replace(UNDECOMPOSED_LETTER, (letter) => UNDECOMPOSED[letter] ?? letter);
}

function keep(token: string): boolean {
  return token.length > 1 && !STOPWORDS.has(token);
}

/** Tokens of a document field. */
export function searchTokens(text: string): string[] {
  return titleTokensFast(spellOut(text)).filter(keep);
}

/**
 * Tokens of what the user typed. A one-letter last word is kept (it is a prefix being typed);
 * stop words are dropped (documents don't index them).
 */
export function queryTokens(text: string): string[] {
  return titleTokens(spellOut(text)).filter((token, index, all) =>
    index === all.length - 1 ? !STOPWORDS.has(token) : keep(token),
  );
}
