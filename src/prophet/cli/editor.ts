import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProphetError } from '../model/errors.js';

/**
 * Opens the user's editor on `text` in a temporary file and returns the
 * saved text. The editor command goes through the shell so that values
 * such as `code --wait` work as they do for git.
 */
export function editText(text: string, name: string, env: NodeJS.ProcessEnv): string {
  const editor = env.VISUAL || env.EDITOR;
  if (!editor) throw new ProphetError('no editor to open: set EDITOR (or VISUAL), e.g. export EDITOR=nano', 'usage');
  const dir = mkdtempSync(join(tmpdir(), 'prophet-edit-'));
  const file = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
  try {
    writeFileSync(file, text);
    const result = spawnSync(`${editor} "$PROPHET_EDIT_FILE"`, { shell: true, stdio: 'inherit', env: { ...env, PROPHET_EDIT_FILE: file } });
    if (result.error) throw new ProphetError(`cannot run the editor '${editor}': ${result.error.message}`, 'io');
    if (result.status !== 0) throw new ProphetError(`the editor '${editor}' exited with status ${result.status ?? result.signal}; nothing was changed`, 'io');
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
