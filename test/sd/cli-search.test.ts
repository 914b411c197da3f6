import Database from 'better-sqlite3';
import { withObjectProps } from '../helpers/old-schema.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdId, sdUserWithReplica, type SdUser } from './sd-cli.js';

/** Three tickets: one owned by the user with an attachment, one closed, one with a comment. */
function tracker(): SdUser {
  const sd = sdUserWithReplica('alice@example.com');
  const a = createdId(sd.ok(['ticket', 'create', '--', 'summary=Crash on café login', 'owner=alice@example.com', 'due=2026-12-01', 'priority=3']));
  sd.ok(['ticket', 'create', '--', 'summary=slow sync', 'status=closed', 'priority=1']);
  const c = createdId(sd.ok(['ticket', 'create', '--', 'summary=editor freezes', 'due=2027-06-01', 'priority=5']));
  sd.ok(['ticket', 'comment', c.luid, '-m', 'the login screen hangs too']);
  sd.ok(['attachment', 'create', a.luid, '--content', 'x', '--name', 'trace-report.txt']);
  return sd;
}

/** The summaries a command lists, in order (`--json` goes before any `--`). */
function summaries(sd: SdUser, args: string[]): string[] {
  const at = args.indexOf('--');
  const withJson = at < 0 ? [...args, '--json'] : [...args.slice(0, at), '--json', ...args.slice(at)];
  return (JSON.parse(sd.ok(withJson)) as Array<{ props: { summary: string } }>).map((t) => t.props.summary);
}

describe('sd ticket search / list with the query language', () => {
  it('answers every query form, given as one argument or as several words', () => {
    const sd = tracker();
    const cases: Array<[string, string[]]> = [
      ['cafe', ['Crash on café login']],
      ['login sort:summary', ['Crash on café login', 'editor freezes']],
      ['"login screen"', ['editor freezes']],
      ['trace', ['Crash on café login']],
      ['status:new,open sort:-summary', ['editor freezes', 'Crash on café login']],
      ['login -status:closed sort:summary', ['Crash on café login', 'editor freezes']],
      ['summary:"slow sync"', ['slow sync']],
      ['due:<2027-01-01', ['Crash on café login']],
      ['priority:>2 sort:-priority limit:1', ['editor freezes']],
      ['created:>=7d sort:summary', ['Crash on café login', 'editor freezes', 'slow sync']],
      ['is:inactive', ['slow sync']],
      ['owner:me', ['Crash on café login']],
      ['has:attachment', ['Crash on café login']],
      ['summary~/^(cr|sl)/i sort:summary', ['Crash on café login', 'slow sync']],
    ];
    for (const [query, expected] of cases) {
      expect({ query, found: summaries(sd, ['ticket', 'search', query]) }).toEqual({ query, found: expected });
    }
    expect(summaries(sd, ['ticket', 'list', 'login', 'status:new', 'sort:summary'])).toEqual(['Crash on café login', 'editor freezes']);
    // No query: the active tickets, as before.
    expect(summaries(sd, ['ticket', 'list'])).toEqual(['Crash on café login', 'editor freezes']);
    // The -- prop=value grammar still works, alone and with a query.
    expect(summaries(sd, ['ticket', 'list', '--', 'status=closed'])).toEqual(['slow sync']);
    expect(summaries(sd, ['ticket', 'search', 'login sort:summary', '--', 'status=new'])).toEqual(['Crash on café login', 'editor freezes']);
    // A query starting with a negation: read as one, not as options, as a word of its own or in one argument.
    expect(summaries(sd, ['ticket', 'search', '--query=-status:closed sort:summary'])).toEqual(['Crash on café login', 'editor freezes']);
    expect(summaries(sd, ['ticket', 'search', '-status:closed', 'sort:summary'])).toEqual(['Crash on café login', 'editor freezes']);
    expect(summaries(sd, ['ticket', 'search', '-status:closed limit:1'])).toEqual(['Crash on café login']);
    expect(summaries(sd, ['ticket', 'search', '-crash', '-ssummary'])).toEqual(['editor freezes', 'slow sync']);
    expect(summaries(sd, ['ticket', 'search', '-"slow sync"', '-s', 'summary', 'created:>=1d'])).toEqual(['Crash on café login', 'editor freezes']);
    expect(summaries(sd, ['ticket', 'search', '-summary~/^(cr|sl)/i'])).toEqual(['editor freezes']);
    // Options stay options: a long one written with one dash is refused, and a value option takes what follows it.
    expect(sd.sd(['ticket', 'search', '-json'])).toMatchObject({ code: 2, stderr: "sd: unknown option -j for 'ticket search'\n" });
    expect(sd.sd(['ticket', 'search', '--query', '-status:closed'])).toMatchObject({ code: 2, stderr: 'sd: --query needs a value: --query VALUE\n' });
  });

  it('ranks by relevance when there are free words, unless sorted', () => {
    const sd = sdUserWithReplica();
    sd.ok(['ticket', 'create', '--', 'summary=the parser is slow when the file is long and other things happen']);
    sd.ok(['ticket', 'create', '--', 'summary=parser crash', 'description=the parser stops']);
    expect(summaries(sd, ['ticket', 'search', 'parser'])).toEqual(['parser crash', 'the parser is slow when the file is long and other things happen']);
    expect(summaries(sd, ['ticket', 'search', 'parser', '--sort', 'id'])[0]).toMatch(/^the parser/);
  });

  it('saves a search and lists it by name', () => {
    const sd = tracker();
    const saved = sd.sd(['ticket', 'search', 'owner:me is:active', '--save', 'mine']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toContain("Saved search 'mine': owner:me is:active");
    expect(summaries(sd, ['ticket', 'list', '--saved', 'mine'])).toEqual(['Crash on café login']);
    // Saved searches are config: settable by hand too, and combined with more words.
    sd.ok(['config', 'search.frozen', 'status:new freezes']);
    expect(summaries(sd, ['ticket', 'list', '--saved', 'frozen'])).toEqual(['editor freezes']);
    expect(summaries(sd, ['ticket', 'list', 'cafe', '--saved', 'mine'])).toEqual(['Crash on café login']);
    const missing = sd.sd(['ticket', 'list', '--saved', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe("sd: no saved search 'nope' (saved: frozen, mine); save one with --save nope QUERY");
    const malformed = sd.sd(['ticket', 'search', 'status:', '--save', 'bad']);
    expect(malformed.code).not.toBe(0);
    expect(sd.sd(['ticket', 'list', '--saved', 'bad']).stderr).toContain("no saved search 'bad'");
  });

  it('refuses a malformed query with one line naming the column and what was expected', () => {
    const sd = tracker();
    const cases: Array<[string, string]> = [
      ['status: login', `bad query "status: login" at column 8: expected a value after 'status:'`],
      ['"unclosed phrase', `bad query "\\"unclosed phrase" at column 1: expected a closing " for the quote opened here`],
      ['due:<soon', `bad query "due:<soon" at column 6: expected a number, a date (2027-01-31) or an age (7d, 12h, 2w, 1y) after 'due:<'`],
      ['summary~crash', `bad query "summary~crash" at column 9: expected /regular expression/ after 'summary~'`],
      ['summary~/(a/', `the pattern for 'summary' '(a' is not a valid regular expression: missing closing ): \`(a\` (look-around and backreferences are not supported)`],
      ['limit:ten', `bad query "limit:ten" at column 7: expected a number after 'limit:'`],
      ['login -', `bad query "login -" at column 8: expected a word, a "phrase" or prop:value after '-'`],
      ['is:dormant', `'is:dormant' means nothing to sd: use is:active or is:inactive (column 1)`],
    ];
    for (const [query, message] of cases) {
      const r = sd.sd(['ticket', 'search', query]);
      expect({ query, code: r.code, stderr: r.stderr }).toEqual({ query, code: 1, stderr: `sd: ${message}\n` });
    }
  });

  it("upgrades a replica from an older release on first use, saying so on stderr once, and then searches it", () => {
    const sd = tracker();
    const db = new Database(join(sd.repo, 'db.sqlite'));
    withObjectProps(db);
    db.pragma('user_version = 9');
    db.close();
    const first = sd.sd(['ticket', 'search', 'hangs']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('editor freezes');
    expect(first.stderr).toMatch(/^sd: upgrading .* to this release's database format \(schema 9 to \d+\); once, .*\n$/);
    const second = sd.sd(['ticket', 'search', 'hangs']);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
  });
});
