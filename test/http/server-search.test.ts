import { describe, expect, it } from 'vitest';
import { newReplica } from '../helpers/temp-replica.js';
import { call, serve } from './live-server.js';

const q = (pattern: string) => `/records/Bug?summary~=${encodeURIComponent(pattern)}`;

describe('prophet server: regular expressions in searches', () => {
  it('answers a pattern that makes backtracking engines run for a minute, and keeps serving others meanwhile', async () => {
    const replica = newReplica();
    // A backtracking engine takes about a minute on this (issue 17).
    replica.create('Bug', { summary: 'a'.repeat(31) });
    replica.create('Bug', { summary: 'aaaX' });
    const server = await serve(replica);

    const started = performance.now();
    const finished: Record<string, number> = {};
    const timed = (name: string, p: Promise<{ status: number; json: Record<string, unknown> }>) =>
      p.then((r) => {
        finished[name] = performance.now() - started;
        return r;
      });
    const [pathological, other] = await Promise.all([timed('pathological', call(server, 'GET', q('(.*){10}X'))), timed('other', call(server, 'GET', '/records'))]);

    expect(other.status).toBe(200);
    expect(pathological.status).toBe(200);
    expect((pathological.json.records as Array<{ props: { summary: string } }>).map((r) => r.props.summary)).toEqual(['aaaX']);
    // Generous: what matters is that nothing waits for the minute a backtracking engine needs.
    expect(finished.other).toBeLessThan(5_000);
    expect(finished.pathological).toBeLessThan(5_000);
  });

  it('matches JavaScript syntax, negated too', async () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'crash on café start' });
    replica.create('Bug', { summary: 'typo' });
    const server = await serve(replica);
    const summaries = async (path: string) => ((await call(server, 'GET', path)).json.records as Array<{ props: { summary: string } }>).map((r) => r.props.summary);
    expect(await summaries(q('^cr\\w+ on caf\\u00e9'))).toEqual(['crash on café start']);
    expect(await summaries(q('(?<word>typ)o$'))).toEqual(['typo']);
    expect(await summaries(`/records/Bug?summary!~=${encodeURIComponent('^c')}`)).toEqual(['typo']);
  });

  it('refuses an invalid, unsupported or too complex pattern with a 400 saying which', async () => {
    const replica = newReplica();
    replica.create('Bug', { summary: 'x' });
    const server = await serve(replica);
    const invalid = await call(server, 'GET', q('('));
    expect(invalid).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^the pattern for 'summary' '\(' is not a valid regular expression: missing closing \)/) } });
    const lookahead = await call(server, 'GET', q('a(?=b)'));
    expect(lookahead).toMatchObject({ status: 400, json: { error: expect.stringMatching(/look-around and backreferences are not supported/) } });
    const backreference = await call(server, 'GET', q('(a)\\1'));
    expect(backreference.status).toBe(400);
    const huge = await call(server, 'GET', q('(.*){1000}'));
    expect(huge).toMatchObject({ status: 400, json: { error: expect.stringMatching(/too complex/) } });
    for (const r of [invalid, lookahead, backreference, huge]) expect((r.json.error as string).split('\n')).toHaveLength(1);
  });
});
