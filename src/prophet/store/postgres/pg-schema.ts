/**
 * The PostgreSQL engine's tables, by prefix as in SQLite (main_, res_, in
 * one database), and their versions. PostgreSQL has no user_version: a
 * table holds each prefix's schema version. Text that is compared or
 * ordered is COLLATE "C", so orders are by code point as in SQLite,
 * whatever the database's locale.
 */
import { ProphetError } from '../../model/errors.js';
import { STALE_INDEX_KEY, type TablePrefix } from '../schema.js';
import type { PgConnection } from './pg-connection.js';
import { METADATA_CHANNEL } from './pg-protocol.js';
import { INDEXED_CHARS, indexedValueSql } from '../store.js';

type Migration = (p: TablePrefix) => string;

/** Append only: migration i brings a prefix's tables from version i to i+1. */
const MIGRATIONS: Migration[] = [
  (p) => `
    CREATE TABLE ${p}metadata (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
    CREATE TABLE ${p}changesets (
      seq bigint PRIMARY KEY,
      origin_uuid text NOT NULL,
      origin_seq bigint NOT NULL,
      created text NOT NULL,
      kind integer NOT NULL,
      hash text NOT NULL,
      body text NOT NULL,
      signature text,
      UNIQUE (origin_uuid, origin_seq)
    );
    CREATE TABLE ${p}records (
      luid bigint PRIMARY KEY,
      uuid text COLLATE "C" NOT NULL UNIQUE,
      type text COLLATE "C" NOT NULL,
      live boolean NOT NULL,
      props text NOT NULL,
      heads text NOT NULL
    );
    CREATE INDEX ${p}records_live_type ON ${p}records (type, luid) WHERE live;
    CREATE TABLE ${p}prop_values (name text COLLATE "C" NOT NULL, value text COLLATE "C" NOT NULL, luid bigint NOT NULL, PRIMARY KEY (name, value, luid));
    CREATE INDEX ${p}prop_values_luid ON ${p}prop_values (luid, name);
    CREATE TABLE ${p}record_changes (luid bigint NOT NULL, seq bigint NOT NULL, PRIMARY KEY (luid, seq));
    CREATE TABLE ${p}merge_tickets (replica_uuid text COLLATE "C" PRIMARY KEY, seq bigint NOT NULL);
    CREATE TABLE ${p}fulltext (luid bigint PRIMARY KEY, doc tsvector NOT NULL);
    CREATE INDEX ${p}fulltext_doc ON ${p}fulltext USING gin (doc);
  `,
  // Processes keep the metadata they read (a server's tokens, its trust
  // policy) until a write by anyone, this SQL included, commits: the
  // trigger tells every listening connection (pg-metadata-cache.ts).
  (p) => `
    CREATE OR REPLACE FUNCTION prophet_metadata_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${METADATA_CHANNEL}', TG_TABLE_NAME); RETURN NULL; END
    $$;
    CREATE TRIGGER ${p}metadata_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${p}metadata
      FOR EACH STATEMENT EXECUTE FUNCTION prophet_metadata_changed();
  `,
  // The property index keeps INDEXED_CHARS characters of a value (64 then), not 256, as SQLite's does.
  (p) => `UPDATE ${p}prop_values SET value = ${indexedValueSql('value')} WHERE length(value) > ${INDEXED_CHARS}`,
  // 37 characters, and timestamps out of the full text (full-text.ts), as
  // SQLite's schema 14: the store rebuilds both indexes as it opens (restoreIndexes).
  (p) => `INSERT INTO ${p}metadata (key, value) SELECT '${STALE_INDEX_KEY}', '1' WHERE EXISTS (SELECT 1 FROM ${p}records) ON CONFLICT (key) DO NOTHING`,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Any lock key would do; this one says whose it is. */
const SCHEMA_LOCK = "hashtext('prophet schema')";

/**
 * Brings a prefix's tables to the current version, in one transaction
 * under a lock, so of several processes starting together one migrates
 * and the others find it done. A database from a newer release is refused.
 */
export function migrate(conn: PgConnection, p: TablePrefix): void {
  conn.transaction(() => {
    conn.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
    conn.query('CREATE TABLE IF NOT EXISTS prophet_schema (prefix text PRIMARY KEY, version integer NOT NULL)');
    const current = conn.value<number>('SELECT version FROM prophet_schema WHERE prefix = $1', [p]) ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new ProphetError(`this PostgreSQL database was written by a newer release of prophet (schema ${current}, this release knows ${PG_SCHEMA_VERSION}): upgrade prophet`, 'schema');
    }
    for (let v = current; v < PG_SCHEMA_VERSION; v++) conn.query(MIGRATIONS[v]!(p));
    if (current !== PG_SCHEMA_VERSION) {
      conn.query('INSERT INTO prophet_schema (prefix, version) VALUES ($1, $2) ON CONFLICT (prefix) DO UPDATE SET version = excluded.version', [p, PG_SCHEMA_VERSION]);
    }
  });
}
