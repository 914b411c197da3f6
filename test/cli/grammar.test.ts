import { describe, expect, it } from 'vitest';
import { expandAliases } from '../../src/prophet/cli/aliases.js';
import { parseOptions, parseProps, propsToSet, splitArgv } from '../../src/prophet/cli/args.js';
import { UsageError } from '../../src/prophet/cli/errors.js';
import { quoteWord, shellWords } from '../../src/prophet/cli/shell-words.js';

describe('splitArgv (reference §5.1)', () => {
  it('takes leading words as the command, then options, then properties after -- or --props', () => {
    expect(splitArgv(['show', '3', '--type', 'Bug'])).toEqual({ words: ['show', '3'], optionTokens: ['--type', 'Bug'], propTokens: undefined });
    expect(splitArgv(['create', '--type', 'Bug', '--', 'a=b'])).toEqual({ words: ['create'], optionTokens: ['--type', 'Bug'], propTokens: ['a=b'] });
    expect(splitArgv(['search', '--props', 'a', 'b']).propTokens).toEqual(['a', 'b']);
  });
});

describe('parseOptions', () => {
  const spec = { flags: ['edit'], values: ['type'], short: { e: 'edit' } };
  it('reads --name, --name=value, --name value and short forms', () => {
    expect(parseOptions(['--type=Bug', '-e', '--json'], spec, 'update').options).toEqual({ type: 'Bug', edit: true, json: true });
    expect(parseOptions(['--type', 'Bug'], spec, 'update').options).toEqual({ type: 'Bug' });
  });
  it('takes words among the options, in order', () => {
    expect(parseOptions(['3', '--edit', '4', '--type', 'Bug', '5'], spec, 'update')).toEqual({ options: { edit: true, type: 'Bug' }, positionals: ['3', '4', '5'], undeclared: [] });
  });
  it('refuses undeclared options and missing values, each with one message', () => {
    expect(() => parseOptions(['--tpye', 'Bug'], spec, 'update')).toThrow("unknown option --tpye for 'update' (did you mean --type?)");
    expect(() => parseOptions(['--type'], spec, 'update')).toThrow('--type needs a value');
  });
  it("takes an empty value typed on purpose: --name=, --name '', -n ''", () => {
    const withShort = { values: ['sort'], short: { s: 'sort' } };
    expect(parseOptions(['--sort='], withShort, 'list').options).toEqual({ sort: '' });
    expect(parseOptions(['--sort', ''], withShort, 'list').options).toEqual({ sort: '' });
    expect(parseOptions(['-s', ''], withShort, 'list').options).toEqual({ sort: '' });
  });
});

describe('parseProps', () => {
  it('accepts name=value, name value, name CMP value and name CMPvalue', () => {
    expect(parseProps(['a=1', 'b', '2', 'c', '!=', '3', 'd', '=~4', 'e', '<>', '5', 'f', 'ne', '6', 'g!~7'])).toEqual([
      { prop: 'a', cmp: '=', value: '1' },
      { prop: 'b', cmp: '=', value: '2' },
      { prop: 'c', cmp: '!=', value: '3' },
      { prop: 'd', cmp: '=~', value: '4' },
      { prop: 'e', cmp: '!=', value: '5' },
      { prop: 'f', cmp: '!=', value: '6' },
      { prop: 'g', cmp: '!~', value: '7' },
    ]);
  });
  it('strips leading dashes on names and keeps values with = and spaces', () => {
    expect(parseProps(['--status', 'new', '--url=http://x/?a=b', 'summary', 'two words'])).toEqual([
      { prop: 'status', cmp: '=', value: 'new' },
      { prop: 'url', cmp: '=', value: 'http://x/?a=b' },
      { prop: 'summary', cmp: '=', value: 'two words' },
    ]);
  });
  it('reads a property literally named cmp', () => {
    expect(parseProps(['cmp', 'ne', 'x', 'cmp=y'])).toEqual([
      { prop: 'cmp', cmp: '!=', value: 'x' },
      { prop: 'cmp', cmp: '=', value: 'y' },
    ]);
  });
  it('reports a property without a value, or a comparator without a name', () => {
    expect(() => parseProps(['status'])).toThrow(UsageError);
    expect(() => parseProps(['status', '!='])).toThrow("property 'status' has no value after '!='");
    expect(() => parseProps(['=x'])).toThrow('is not a property name');
    expect(() => parseProps(['a=b', '--json'])).toThrow("'--json' after '--' is read as a property: put options before '--'");
    expect(parseProps(['--json', 'x'])).toEqual([{ prop: 'json', cmp: '=', value: 'x' }]);
  });
  it('lets create and update use only =, the last value winning', () => {
    expect(propsToSet(parseProps(['a=1', 'a=2']))).toEqual({ a: '2' });
    expect(() => propsToSet(parseProps(['a!=1']))).toThrow('to set a property write a=VALUE');
  });
});

describe('shellWords', () => {
  it('groups quoted words and reads back what quoteWord wrote', () => {
    expect(shellWords(`search --type Bug -- summary="two words" 'it''s'`)).toEqual(['search', '--type', 'Bug', '--', 'summary=two words', 'its']);
    const words = ["it's", 'a b', '', 'plain'];
    expect(shellWords(words.map(quoteWord).join(' '))).toEqual(words);
    expect(() => shellWords('"open')).toThrow('unclosed');
  });
});

describe('expandAliases (reference §4.6)', () => {
  const aliases: Array<[string, string]> = [
    ['pt', 'show --type Bug'],
    ['bugs by', 'search --type Bug -- owner=$1 status=$2'],
    ['q', 'search --type Bug -- summary="two words"'],
    ['loop', 'loop'],
  ];
  it('puts the words after the alias where the grammar expects them', () => {
    expect(expandAliases(['pt', '3', '--json'], aliases)).toEqual(['show', '3', '--type', 'Bug', '--json']);
  });
  it('fills $1, $2 from the words after a multi-word alias, missing ones empty', () => {
    expect(expandAliases(['bugs', 'by', 'bob smith'], aliases)).toEqual(['search', '--type', 'Bug', '--', 'owner=bob smith', 'status=']);
  });
  it('keeps quoted values as one word and merges properties', () => {
    expect(expandAliases(['q', '--', 'status=new'], aliases)).toEqual(['search', '--type', 'Bug', '--', 'summary=two words', 'status=new']);
  });
  it('leaves other commands and self-expanding aliases alone', () => {
    expect(expandAliases(['show', '3'], aliases)).toEqual(['show', '3']);
    expect(expandAliases(['loop'], aliases)).toEqual(['loop']);
  });
});
