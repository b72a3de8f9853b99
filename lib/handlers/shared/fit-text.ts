/**
 * Turns free text (alarm names and reasons, error messages, S3 keys) into values that satisfy the member they are
 * sent in; see `api-limits.ts` for the limits and how they are counted.
 */

/** Marks a value that was cut; made of characters every pattern here allows. */
export const CUT_MARKER = '...';

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending with `marker` when it cut, and never between the two halves
 * of a surrogate pair (which would leave a lone surrogate, invalid UTF-8).
 */
export function cutToLength(text: string, max: number, marker: string = CUT_MARKER): string {
  if (text.length <= max) return text;
  const mark = marker.length < max ? marker : '';
  let end = max - mark.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}${mark}`;
}

/**
 * One line of text for a `.*` member (descriptions): line terminators and other control characters become spaces,
 * lone surrogates become U+FFFD, and the result is cut to `max`.
 */
export function singleLine(text: string, max: number): string {
  const cleaned = text
    .replace(/\p{Cs}/gu, '\uFFFD')
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  return cutToLength(cleaned, max);
}

/**
 * A `CustomerMetadataProperties` value (also a safe pipeline parameter value): at least one and at most `max`
 * characters of `[\p{L}\p{Z}\p{N}_.:\/=+\-@]`.
 *
 * Text is NFC-normalised; any run of white space or separators becomes one space; combining marks are dropped (NFC
 * has already merged the common accented letters); any other run of characters outside the set (`{`, `,`, `}`,
 * quotes, brackets, `%`, `>`, emoji, ...) becomes one `-`; the ends are trimmed; the value is cut to `max` with
 * {@link CUT_MARKER}; an empty result becomes `fallback`.
 */
export function metadataValue(text: string, max: number = 256, fallback: string = 'none'): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\p{M}/gu, '')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .replace(/[^\p{L}\p{N} _.:/=+\-@]+/gu, '-')
    .trim();
  const value = cutToLength(cleaned, max).trim();
  return value === '' ? cutToLength(fallback, max) : value;
}

/**
 * A SageMaker entity name (`[a-zA-Z0-9](-*[a-zA-Z0-9])*`, at most `max` characters), e.g. a pipeline execution's
 * display name: every run of other characters becomes one `-`, the ends are trimmed of `-`; empty gives `fallback`.
 */
export function entityName(text: string, max: number, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '');
  return cleaned || fallback;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
