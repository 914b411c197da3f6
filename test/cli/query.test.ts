import { describe, expect, it } from 'vitest';
import { Sandbox, sandboxesRemovedAfterEach } from './helpers.js';

sandboxesRemovedAfterEach();

function bugs(): Sandbox {
  const box = new Sandbox();
  box.ok(['init']);
  box.ok(['create', '--type', 'Bug', '--', 'summary=Crash on café login', 'status=open', 'severity=3']);
  box.ok(['create', '--type', 'Bug', '--', 'summary=slow sync', 'status=closed', 'severity=1']);
  box.ok(['create', '--type', 'Bug', '--', 'summary=editor crash', 'status=new', 'severity=5']);
  return box;
}

const summaries = (box: Sandbox, args: string[]) => box.json<Array<{ props: { summary: string } }>>(args).map((r) => r.props.summary);

describe('prophet search with the query language', () => {
  it('takes a query as words or --query, with the -- criteria still working beside it', () => {
    const box = bugs();
    expect(summaries(box, ['search', 'cafe', '--type', 'Bug'])).toEqual(['Crash on café login']);
    expect(summaries(box, ['search', '--type', 'Bug', '--query', 'crash status:new,open sort:-severity'])).toEqual(['editor crash', 'Crash on café login']);
    expect(summaries(box, ['search', '--type', 'Bug', '--query', '"editor crash" severity:>=5'])).toEqual(['editor crash']);
    expect(summaries(box, ['search', '--type', 'Bug', '--query=-status:closed summary~/^e/'])).toEqual(['editor crash']);
    expect(summaries(box, ['search', '--type', 'Bug', '-status:closed', 'summary~/^e/'])).toEqual(['editor crash']);
    expect(summaries(box, ['search', '--type', 'Bug', '--query', 'crash', '--', 'status=open'])).toEqual(['Crash on café login']);
    expect(summaries(box, ['search', '--type', 'Bug', '--', 'status!=closed'])).toEqual(['Crash on café login', 'editor crash']);
  });

  it('saves searches, and refuses a malformed query in one line', () => {
    const box = bugs();
    box.ok(['search', '--type', 'Bug', '--query', 'status:new,open sort:summary', '--save', 'todo']);
    expect(summaries(box, ['search', '--type', 'Bug', '--saved', 'todo'])).toEqual(['Crash on café login', 'editor crash']);
    const bad = box.fails(['search', '--type', 'Bug', '--query', 'severity:>high']);
    expect(bad.stderr).toBe(`prophet: bad query "severity:>high" at column 11: expected a number, a date (2027-01-31) or an age (7d, 12h, 2w, 1y) after 'severity:>'\n`);
  });
});
