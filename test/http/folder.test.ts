import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishToDirectory } from '../../src/prophet/publish/publish.js';
import { builtinSchemes } from '../../src/prophet/transports/schemes.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { cloneFrom, pull, recordsOf } from './helpers.js';

describe('a published folder on a disk (a USB stick), with no web server', () => {
  it('clones from its path, then pulls what a re-publish added, by path and by prophet:file:// URL', async () => {
    const jesse = newReplica();
    const { uuid } = jesse.create('Bug', { summary: 'sync loses edits', status: 'new' });
    const stick = join(tempDir(), 'stick');
    publishToDirectory(jesse, stick);

    const cl = await cloneFrom(await builtinSchemes.openSource(stick));
    expect(recordsOf(cl, 'Bug')[uuid]).toMatchObject({ status: 'new' });

    jesse.update('Bug', uuid, { status: 'open' });
    publishToDirectory(jesse, stick);
    await pull(await builtinSchemes.openSource(`prophet:${pathToFileURL(stick).href}`), cl);
    expect(recordsOf(cl, 'Bug')).toEqual(recordsOf(jesse, 'Bug'));

    const again = await pull(await builtinSchemes.openSource(stick), cl);
    expect(again.changesets.integrated).toBe(0);
  });

  it('says what is missing when a folder is neither a replica nor a published one', async () => {
    await expect(builtinSchemes.openSource(tempDir())).rejects.toThrow(/no prophet replica at .* a published folder/);
  });
});
