/**
 * The `ticket review` menu (reference §3.3): a code for each property with
 * a list of values, and for each value; `sc` is status closed. Pure, so the
 * codes can be checked without a terminal.
 */

export interface MenuProperty {
  name: string;
  code: string;
  values: Array<{ value: string; code: string }>;
}

/** Codes `b` and `d` are the basics and details views. */
const RESERVED = ['b', 'd'];

/** The first character of `word` not in `used` (letters and digits, lower-cased), else the next free digit. */
function freeCode(word: string, used: Set<string>): string {
  const chars = [...word.toLowerCase()].filter((c) => /[a-z0-9]/.test(c));
  const pick = chars.find((c) => !used.has(c)) ?? [...'0123456789'].find((c) => !used.has(c)) ?? word;
  used.add(pick);
  return pick;
}

export function reviewMenu(lists: Array<[name: string, values: string[]]>): MenuProperty[] {
  const propertyCodes = new Set(RESERVED);
  return lists.map(([name, values]) => {
    const valueCodes = new Set<string>();
    return { name, code: freeCode(name, propertyCodes), values: values.map((value) => ({ value, code: freeCode(value, valueCodes) })) };
  });
}

/** The menu's lines for a ticket, its current values marked `*`. */
export function menuLines(menu: MenuProperty[], props: Record<string, string>): string[] {
  return [
    'show [b] basics or [d] details',
    ...menu.map((p) => `[${p.code}] ${p.name}: ${p.values.map((v) => `[${p.code}${v.code}] ${v.value}${props[p.name] === v.value ? '*' : ''}`).join('  ')}`),
  ];
}

/** What `sc+mb` asks for: property → value per code, or the first code nothing is bound to. */
export function readCodes(menu: MenuProperty[], input: string): { changes: Array<{ code: string; name: string; value: string }> } | { unknown: string } {
  const changes: Array<{ code: string; name: string; value: string }> = [];
  for (const code of input.split('+').map((c) => c.trim()).filter(Boolean)) {
    const prop = menu.find((p) => code.startsWith(p.code));
    const value = prop?.values.find((v) => code === `${prop.code}${v.code}`);
    if (!prop || !value) return { unknown: code };
    changes.push({ code, name: prop.name, value: value.value });
  }
  return { changes };
}
