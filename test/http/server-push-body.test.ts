import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { Sandbox } from '../cli/helpers.js';
import { newReplica } from '../helpers/temp-replica.js';
import { serve, startProphetServer } from './live-server.js';

const MB = 1024 * 1024;

interface Upload {
  status: number;
  /** Bytes written when the answer's headers arrived. */
  sentWhenAnswered: number;
}

/**
 * POSTs `size` bytes of a JSON-looking body, written a chunk at a time
 * as the socket takes them, and stops sending once the server answers.
 */
function upload(url: string, path: string, size: number, headers: Record<string, string> = {}): Promise<Upload> {
  const chunk = Buffer.alloc(256 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(size), ...headers } }, (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      res.resume();
      resolve({ status, sentWhenAnswered: sent });
      req.destroy();
    });
    // Once answered, the server may close the connection on the rest of the upload: that is the point.
    req.on('error', (err) => answered || reject(err));
    const pump = () => {
      while (!answered && sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The resident memory of a process, from Linux's /proc. */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe('prophet server: push bodies', () => {
  it('refuses unauthenticated 50 MB pushes with 401 before reading them, without growing', async () => {
    const owner = new Sandbox();
    try {
      owner.ok(['init']);
      const server = await startProphetServer(owner, ['--writable']);
      const pid = server.child.pid!;
      const before = rssBytes(pid);
      const uploads = await Promise.all(Array.from({ length: 5 }, () => upload(server.url, '/push', 50 * MB)));
      for (const u of uploads) {
        expect(u.status).toBe(401);
        // The answer came while most of the body was still unsent: it was never waited for.
        expect(u.sentWhenAnswered).toBeLessThan(25 * MB);
      }
      // Five 50 MB bodies read and parsed would be over a gigabyte.
      expect(rssBytes(pid) - before).toBeLessThan(50 * MB);
    } finally {
      owner.cleanup();
    }
  });

  it('refuses a push from a token without the push scope, and an oversized one from a pusher, before reading either', async () => {
    const origin = newReplica();
    const read = createToken(origin, 'reader', { scopes: ['read'] }).token;
    const push = createToken(origin, 'pusher', { scopes: ['push'] }).token;
    const server = await serve(origin, { writable: true, pushBodyLimit: 1 * MB });
    const wrongScope = await upload(server.url, '/push', 20 * MB, { authorization: `Bearer ${read}` });
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.sentWhenAnswered).toBeLessThan(10 * MB);
    const tooLarge = await upload(server.url, '/push', 20 * MB, { authorization: `Bearer ${push}` });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.sentWhenAnswered).toBeLessThan(10 * MB);
  });
});
