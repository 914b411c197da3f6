import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExposure, isLoopback } from '../../src/prophet/server/exposure.js';
import { startServer } from '../../src/prophet/server/listen.js';
import { loadTls } from '../../src/prophet/server/tls.js';
import { createToken } from '../../src/prophet/server/tokens.js';
import { oneLine, Sandbox } from '../cli/helpers.js';
import { newReplica, tempDir } from '../helpers/temp-replica.js';
import { serve, startProphetServer } from './live-server.js';

/** A self-signed certificate for localhost, made with openssl. */
function selfSigned(): { cert: string; key: string } {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

/** GET over HTTPS, trusting the self-signed certificate. */
function httpsGet(url: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('prophet server over TLS', () => {
  it('serves HTTPS with the given certificate, tokens and all', async () => {
    const { cert, key } = selfSigned();
    const origin = newReplica();
    origin.create('Bug', { summary: 'secret' });
    const { token } = createToken(origin, 'reader', { scopes: ['read'] });
    const server = await serve(origin, { tls: loadTls(cert, key), public: false });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await httpsGet(new URL('records/Bug', server.url).href)).status).toBe(401);
    const read = await httpsGet(new URL('records/Bug', server.url).href, token);
    expect(read.status).toBe(200);
    expect(read.body).toContain('secret');
  });

  it('`prophet server --tls-cert --tls-key` listens on https; a missing, unreadable or mismatched pair is one line', async () => {
    const { cert, key } = selfSigned();
    const other = selfSigned();
    const box = new Sandbox();
    try {
      box.ok(['init']);
      const server = await startProphetServer(box, ['--tls-cert', cert, '--tls-key', key]);
      expect(server.url).toMatch(/^https:\/\//);
      expect((await httpsGet(server.url)).status).toBe(200);

      const alone = box.fails(['server', '--tls-cert', cert]);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/give --tls-cert FILE and --tls-key FILE together/);
      const missing = box.fails(['server', '--tls-cert', cert, '--tls-key', join(box.dir, 'nope.pem')]);
      expect(missing.stderr).toMatch(/cannot read the TLS key .*nope\.pem: ENOENT/);
      const mismatched = box.fails(['server', '--tls-cert', cert, '--tls-key', other.key]);
      expect(mismatched.stderr).toMatch(/cannot serve TLS with certificate/);
      const garbage = join(box.dir, 'garbage.pem');
      writeFileSync(garbage, 'not a certificate');
      expect(box.fails(['server', '--tls-cert', garbage, '--tls-key', key]).stderr).toMatch(/cannot serve TLS/);
      for (const r of [alone, missing, mismatched]) expect(oneLine(r.stderr)).toBe(true);
    } finally {
      box.cleanup();
    }
  });
});

describe('prophet server beyond loopback', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.org', '128.0.0.1']) expect(isLoopback(host)).toBe(false);
  });

  it('refuses to take tokens over plain HTTP: writable, or reads that need a token, need TLS or --insecure', () => {
    const base = { host: '0.0.0.0', writable: false, public: false, tls: false, insecure: false };
    expect(() => checkExposure({ ...base, writable: true, public: true })).toThrow(/tokens would cross the network in the clear \(writes need tokens\): give --tls-cert FILE --tls-key FILE/);
    expect(() => checkExposure(base)).toThrow(/reads need tokens unless --public/);
    // Nothing secret travels: a public read-only server.
    expect(() => checkExposure({ ...base, public: true })).not.toThrow();
    expect(() => checkExposure({ ...base, writable: true, tls: true })).not.toThrow();
    expect(() => checkExposure({ ...base, writable: true, insecure: true })).not.toThrow();
    expect(() => checkExposure({ ...base, host: '127.0.0.1', writable: true })).not.toThrow();
  });

  it('startServer and `prophet server` refuse before listening, in one line', async () => {
    const replica = newReplica();
    await expect(startServer(replica, { host: '0.0.0.0', port: 0, writable: true })).rejects.toThrow(/--tls-cert FILE --tls-key FILE, or --insecure if a TLS proxy is in front/);
    const box = new Sandbox();
    try {
      box.ok(['init']);
      for (const args of [['--host', '0.0.0.0', '--writable'], ['--host', '0.0.0.0']]) {
        const refused = box.fails(['server', '--port', '0', ...args]);
        expect(refused.code).toBe(1);
        expect(oneLine(refused.stderr)).toBe(true);
        expect(refused.stderr).toMatch(/give --tls-cert FILE --tls-key FILE/);
      }
    } finally {
      box.cleanup();
    }
  });
});
