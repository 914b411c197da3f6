/**
 * The REST API's query language (?q=) over an SD replica, whatever holds
 * it: run over a replica on disk (server-query.test.ts) and over a hub in
 * PostgreSQL (test/hub/server.test.ts), whose full text and property
 * index are its own.
 */
import { describe, expect, it } from 'vitest';
import { sdAppDefinition } from '../../src/sd/model/app.js';
import { testEnv } from '../helpers/temp-replica.js';
import { call, serve } from './live-server.js';
import type { NewServedReplica } from './server-contract.js';

/** An SD replica with three tickets, one with a comment, served on 127.0.0.1. */
async function sdServer(newServed: NewServedReplica) {
  const sd = newServed({ app: sdAppDefinition, env: testEnv('alice@example.com') });
  const a = sd.create('ticket', { summary: 'Crash on café login', owner: 'alice@example.com', due: '2026-12-01', priority: '3' });
  sd.create('ticket', { summary: 'slow sync', status: 'closed', priority: '1' });
  const c = sd.create('ticket', { summary: 'editor freezes', due: '2027-06-01', priority: '5' });
  sd.create('comment', { ticket: c.uuid, content: 'the login screen hangs too' });
  sd.create('attachment', { ticket: a.uuid, name: 'trace-report.txt', content: 'x' });
  return { server: await serve(sd), sd };
}

const summaries = (json: Record<string, unknown>) => (json.records as Array<{ props: { summary: string } }>).map((r) => r.props.summary);
const q = (query: string, more = '') => `/records/ticket?q=${encodeURIComponent(query)}${more}`;

export function queryContract(engine: string, newServed: NewServedReplica): void {
  describe(`REST on ${engine}: ?q= runs the query language`, () => {
    it('answers every query form', async () => {
      const { server } = await sdServer(newServed);
      const cases: Array<[string, string[]]> = [
        ['cafe', ['Crash on café login']],
        ['login sort:summary', ['Crash on café login', 'editor freezes']],
        ['"login screen"', ['editor freezes']],
        ['trace', ['Crash on café login']],
        ['log* sort:summary', ['Crash on café login', 'editor freezes']],
        ['login -editor', ['Crash on café login']],
        ['status:new,open', ['Crash on café login', 'editor freezes']],
        ['-status:closed sort:summary', ['Crash on café login', 'editor freezes']],
        ['summary:"slow sync"', ['slow sync']],
        ['due:<2027-01-01', ['Crash on café login']],
        ['priority:>2 sort:-priority', ['editor freezes', 'Crash on café login']],
        ['created:>=7d sort:summary limit:2', ['Crash on café login', 'editor freezes']],
        ['created:<7d', []],
        ['is:active sort:summary', ['Crash on café login', 'editor freezes']],
        ['is:inactive', ['slow sync']],
        ['owner:me', ['Crash on café login']],
        ['has:attachment', ['Crash on café login']],
        ['-has:comment sort:summary', ['Crash on café login', 'slow sync']],
        ['summary~/^(cr|sl)/i sort:summary', ['Crash on café login', 'slow sync']],
        ['-summary~/z/ sort:summary', ['Crash on café login', 'slow sync']],
      ];
      for (const [query, expected] of cases) {
        const answer = await call(server, 'GET', q(query));
        expect({ query, status: answer.status, found: summaries(answer.json) }).toEqual({ query, status: 200, found: expected });
      }
    });

    it('pages with ?limit= and ?offset=, and still takes other keys as property criteria', async () => {
      const { server } = await sdServer(newServed);
      const page = await call(server, 'GET', q('sort:summary', '&limit=1&offset=1'));
      expect(page.json).toMatchObject({ total: 3, offset: 1, limit: 1 });
      expect(summaries(page.json)).toEqual(['editor freezes']);
      const filtered = await call(server, 'GET', '/records/ticket?status=closed&limit=5');
      expect(summaries(filtered.json)).toEqual(['slow sync']);
      expect(filtered.json).toMatchObject({ total: 1, limit: 5 });
    });

    it('refuses bad paging through the schema and a malformed query with one line naming the column', async () => {
      const { server } = await sdServer(newServed);
      for (const path of ['/records/ticket?limit=abc', '/records/ticket?limit=-1', '/records/ticket?offset=1.5', '/records/ticket?limit=100001']) {
        const answer = await call(server, 'GET', path);
        expect(answer.status, path).toBe(400);
        expect(answer.json.error, path).toMatch(/limit|offset/);
      }
      const bad = await call(server, 'GET', q('status: login'));
      expect(bad).toMatchObject({ status: 400, json: { error: "bad query \"status: login\" at column 8: expected a value after 'status:'" } });
    });

    it('answers a pathological regex over a long value within a second while serving other requests', async () => {
      const { server, sd } = await sdServer(newServed);
      // (a+)+$ against a long run of a's ending in X: a backtracking engine never finishes.
      sd.create('ticket', { summary: `${'a'.repeat(50_000)}X` });
      const started = performance.now();
      const finished: Record<string, number> = {};
      const timed = (name: string, path: string) =>
        call(server, 'GET', path).then((r) => {
          finished[name] = performance.now() - started;
          return r;
        });
      const [evil, other] = await Promise.all([timed('evil', q('summary~/(a+)+$/')), timed('other', q('cafe'))]);
      expect(evil.status).toBe(200);
      expect(summaries(evil.json)).toEqual([]);
      expect(summaries(other.json)).toEqual(['Crash on café login']);
      expect(finished.evil).toBeLessThan(1_000);
      expect(finished.other).toBeLessThan(1_000);
    });
  });
}
