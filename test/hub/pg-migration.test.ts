import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/prophet/store/postgres/pg-connection.js';
import { PG_SCHEMA_VERSION } from '../../src/prophet/store/postgres/pg-schema.js';
import { PostgresStore } from '../../src/prophet/store/postgres/postgres-store.js';
import { INDEXED_CHARS } from '../../src/prophet/store/store.js';
import { freshDatabase, pgServer } from './pg-database.js';

const server = pgServer();
const U = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const SUMMARY = `${'word '.repeat(20)}end`;
const CREATED = '2024-12-02T20:01:20.502Z';

describe.skipIf(!server)('a PostgreSQL replica from before migration 4 (64 indexed characters, timestamps as words)', () => {
  it('has both indexes rebuilt as a store first opens it, and finds by the whole value', () => {
    const url = freshDatabase(server!);
    const conn = new PgConnection(url);
    try {
      const first = new PostgresStore(conn, 'main_');
      const luid = first.transaction(() => first.insertRecord(U(1), 'Bug', { live: true, props: { summary: SUMMARY, created: CREATED }, heads: {} }));
      // What migration 3 left: 64 characters of the summary, and the timestamp's words in the full text.
      conn.query(`UPDATE main_prop_values SET value = left($1, 64) WHERE name = 'summary'`, [SUMMARY]);
      conn.query(`UPDATE main_fulltext SET doc = to_tsvector('simple', $1) WHERE luid = $2`, [`${SUMMARY} 2024 12 02t20 01 20 502z`, luid]);
      conn.query(`UPDATE prophet_schema SET version = $1 WHERE prefix = 'main_'`, [PG_SCHEMA_VERSION - 1]);
      expect(first.textMatches('"502z"', 'Bug', false).luids).toEqual([luid]);

      const reopened = new PostgresStore(conn, 'main_');
      expect(conn.value('SELECT version FROM prophet_schema WHERE prefix = $1', ['main_'])).toBe(PG_SCHEMA_VERSION);
      expect(conn.value(`SELECT value FROM main_prop_values WHERE name = 'summary'`)).toBe(SUMMARY.slice(0, INDEXED_CHARS));
      expect(reopened.textMatches('"502z"', 'Bug', false).luids).toEqual([]);
      expect(reopened.textMatches('"end"', 'Bug', false).luids).toEqual([luid]);
      // The index holds the value's first characters: a record it names by them is the one.
      expect(reopened.liveRecordsWhere('Bug', [{ name: 'summary', values: [SUMMARY.slice(0, INDEXED_CHARS)] }]).map((r) => r.luid)).toEqual([luid]);
    } finally {
      conn.close();
    }
  });
});
