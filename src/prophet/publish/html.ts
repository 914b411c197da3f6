import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordRow } from '../store/store.js';
import { isInternalType } from '../model/types.js';
import type { Replica } from '../replica/replica.js';

/** Everything printed into a page goes through here: record data is untrusted text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A record type as a directory name: kept when plainly safe, else hex, so
 * no type name ('..', 'a/b') can point outside the html folder.
 */
export function typeSlug(type: string): string {
  return /^[A-Za-z0-9_-]+$/.test(type) ? type : `type-${Buffer.from(type, 'utf8').toString('hex')}`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}td{white-space:pre-wrap}</style>
</head><body>
${body}
</body></html>
`;
}

/** Up to this many properties become columns of a type's index, the most common first. */
const INDEX_COLUMNS = 5;

function indexColumns(records: RecordRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of records) for (const name of Object.keys(r.props)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, INDEX_COLUMNS).map(([n]) => n);
}

function typeIndex(type: string, records: RecordRow[]): string {
  const columns = indexColumns(records);
  const head = ['id', ...columns].map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = records
    .map((r) => `<tr><td><a href="${r.uuid}.html">${r.luid}</a></td>${columns.map((c) => `<td>${escapeHtml(r.props[c] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return page(type, `<p><a href="../index.html">All types</a></p><h1>${escapeHtml(type)}</h1>\n<table><tr>${head}</tr>\n${rows}\n</table>`);
}

function recordPage(type: string, r: RecordRow): string {
  const rows = Object.keys(r.props)
    .sort()
    .map((name) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(r.props[name]!)}</td></tr>`)
    .join('\n');
  return page(`${type} ${r.uuid}`, `<p><a href="index.html">All ${escapeHtml(type)} records</a></p><h1>${escapeHtml(type)} ${r.luid}</h1>\n<p>${r.uuid}</p>\n<table>\n${rows}\n</table>`);
}

/**
 * Static pages of the live records, into an empty directory (publish
 * stages one and swaps it in whole): an index of types, an index per type,
 * a page per record.
 */
export function writeHtml(replica: Replica, dir: string): void {
  const types = replica.types().filter((t) => !isInternalType(t));
  const items = types.map((t) => `<li><a href="${typeSlug(t)}/index.html">${escapeHtml(t)}</a> (${replica.countLive(t)})</li>`).join('\n');
  writeFileSync(join(dir, 'index.html'), page('Records', `<h1>Records</h1>\n<ul>\n${items}\n</ul>`));
  for (const type of types) {
    const typeDir = join(dir, typeSlug(type));
    mkdirSync(typeDir, { recursive: true });
    const records = replica.liveRecords(type);
    writeFileSync(join(typeDir, 'index.html'), typeIndex(type, records));
    for (const r of records) writeFileSync(join(typeDir, `${r.uuid}.html`), recordPage(type, r));
  }
}
