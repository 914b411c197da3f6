import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/prophet/server/listen.js';
import { newReplica } from '../helpers/temp-replica.js';
import { serve } from './live-server.js';
import { serverContract } from './server-contract.js';

serverContract('SQLite', newReplica);

describe('prophet server: listening', () => {
  it('says plainly when the port is taken', async () => {
    const replica = newReplica();
    const server = await serve(replica);
    const port = Number(new URL(server.url).port);
    await expect(startServer(replica, { port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use; start the server on another port with --port`);
  });
});
