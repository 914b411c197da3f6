import type Table from 'cli-table3';
import { createRequire } from 'node:module';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
};

/**
 * Rows as aligned columns under a header, without borders: how lists look
 * on a terminal. cli-table3 measures cells by their visible width, so
 * colour codes and wide characters do not skew the columns.
 */
export function tableLines(headers: string[], rows: string[][], bold: (s: string) => string = (s) => s): string[] {
  // Required here, not imported: only the commands that print a table pay for loading it.
  const Columns = createRequire(import.meta.url)('cli-table3') as typeof Table;
  const table = new Columns({ head: headers.map((h) => bold(h.toUpperCase())), chars: NO_BORDERS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  table.push(...rows);
  return table.toString().split('\n').map((line) => line.trimEnd());
}
