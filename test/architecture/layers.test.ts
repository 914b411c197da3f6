/**
 * The house plan's layers, checked on the source: imports point down only,
 * no cycle between folders, apps reach Prophet through its public index,
 * and only the replica layer touches the storage engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Bottom to top: a layer may import its own folder and the layers before it. */
const LAYERS = [
  ['prophet/model'],
  ['prophet/store'],
  ['prophet/replica'],
  ['prophet/sync'],
  ['prophet/transports'],
  ['prophet/foreign'],
  ['prophet/publish', 'prophet/replication'],
  ['prophet/server'],
  ['prophet/cli'],
  ['prophet/index'],
  ['sd'],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The folder (or the index) a source file belongs to, as named in LAYERS. */
function unitOf(file: string): string {
  const rel = relative(SRC, file).replace(/\.([jt]sx?)$/, '');
  if (rel === 'prophet/index') return rel;
  const parts = rel.split('/');
  return parts[0] === 'sd' ? 'sd' : parts.slice(0, 2).join('/');
}

function levelOf(unit: string): number {
  const level = LAYERS.findIndex((l) => l.includes(unit));
  if (level < 0) throw new Error(`${unit} is in no layer of the plan: add it to LAYERS`);
  return level;
}

interface Import {
  from: string;
  to: string;
  line: string;
}

const imports: Import[] = files(SRC).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)';/gms)].map((m) => ({
    from: file,
    to: resolve(dirname(file), m[1]!),
    line: m[0].split('\n')[0]!,
  })),
);

describe('the layers', () => {
  it('import only their own layer and those below', () => {
    const upward = imports
      .filter((i) => levelOf(unitOf(i.to)) > levelOf(unitOf(i.from)))
      .map((i) => `${relative(SRC, i.from)} imports ${relative(SRC, i.to)}`);
    expect(upward).toEqual([]);
  });

  it('have no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      const [a, b] = [unitOf(i.from), unitOf(i.to)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const walk = (unit: string, path: string[]) => {
      if (path.includes(unit)) {
        cycles.push([...path.slice(path.indexOf(unit)), unit].join(' -> '));
        return;
      }
      for (const next of edges.get(unit) ?? []) walk(next, [...path, unit]);
    };
    for (const unit of edges.keys()) walk(unit, []);
    expect(cycles).toEqual([]);
  });

  it('let SD reach Prophet only through its public index', () => {
    const deep = imports.filter((i) => unitOf(i.from) === 'sd' && unitOf(i.to) !== 'sd' && unitOf(i.to) !== 'prophet/index');
    expect(deep.map((i) => `${relative(SRC, i.from)}: ${i.line}`)).toEqual([]);
  });

  it('let the phone book (the second app, in test/) reach Prophet only through its public index', () => {
    const book = resolve(SRC, '../test/phonebook');
    const deep = files(book).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => relative(SRC, resolve(dirname(file), m[1]!))).filter((to) => !to.startsWith('..') && to !== 'prophet/index.js'),
    );
    expect(deep).toEqual([]);
  });

  it('keep the storage engine inside the replica layer', () => {
    const outside = (file: string) => !['prophet/replica', 'prophet/store'].includes(unitOf(file));
    const reaching = files(SRC)
      .filter(outside)
      .filter((file) => /\bstoreOf\(|\bstore\/(sqlite-store|open-database|schema)\.js'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(reaching).toEqual([]);
  });
});
