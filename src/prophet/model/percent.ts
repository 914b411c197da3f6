/** A URL's user or password as typed: percent-escapes decoded, a stray '%' kept (URL parsers let it through). */
export function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
