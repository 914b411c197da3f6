import { createSupportsColor } from 'supports-color';
import type { CliIo } from './context.js';

/**
 * Whether output gets colour: never with --no-color or NO_COLOR
 * (no-color.org); otherwise as supports-color decides, which honours
 * FORCE_COLOR, --color and TERM=dumb and colours only a terminal.
 */
export function wantsColor(io: Pick<CliIo, 'isTTY' | 'env'>, noColorFlag: boolean): boolean {
  if (noColorFlag || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  return createSupportsColor({ isTTY: io.isTTY } as NodeJS.WriteStream, { sniffFlags: true }) !== false;
}
