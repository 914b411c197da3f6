/**
 * Turning a current replica file back into an older release's format, for
 * the tests that open such a file and check it is migrated and reads right.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { initSdReplica } from '../../src/sd/model/app.js';
import { tempDir, testEnv } from './temp-replica.js';

/** A closed SD replica with a ticket (summary `crash`) and its comment (`zurich`), for a test to turn into an older format. */
export function closedTicketWithComment(): { root: string; ticket: string } {
  const root = join(tempDir(), 'old');
  const sd = initSdReplica(root, { env: testEnv() });
  const ticket = sd.create('ticket', { summary: 'crash' }).uuid;
  sd.create('comment', { ticket, content: 'zurich' });
  sd.close();
  return { root, ticket };
}

/** Schema 12's change undone: the property index keyed by the name itself, no prop_names table. Every older format starts here. */
export function withNamesInIndex(db: Database.Database): void {
  for (const p of ['main_', 'res_']) {
    db.exec(`CREATE TABLE ${p}prop_values_by_name (name TEXT NOT NULL, value TEXT NOT NULL, luid INTEGER NOT NULL, PRIMARY KEY (name, value, luid)) WITHOUT ROWID;
      INSERT INTO ${p}prop_values_by_name SELECT n.name, v.value, v.luid FROM ${p}prop_values v JOIN ${p}prop_names n ON n.id = v.name_id;
      DROP TABLE ${p}prop_values; DROP TABLE ${p}prop_names;
      ALTER TABLE ${p}prop_values_by_name RENAME TO ${p}prop_values;`);
  }
}

/** Schema 11's change undone (after 12's): each record's properties as a JSON object, no prop_shapes table. */
export function withObjectProps(db: Database.Database): void {
  withNamesInIndex(db);
  for (const p of ['main_', 'res_']) {
    db.exec(`UPDATE ${p}records SET props = (SELECT json_group_object(name, value) FROM
        (SELECT s.name, ${p}records.props ->> s.pos AS value FROM ${p}prop_shapes s WHERE s.shape = ${p}records.props ->> 0 ORDER BY s.pos));
      DROP TABLE ${p}prop_shapes;`);
  }
}

/** Schema 9's change undone: the property index as a table keyed (luid, name), as releases before it kept it (its (name, value) index is not made again). */
export function withPropsTable(db: Database.Database): void {
  withObjectProps(db);
  for (const p of ['main_', 'res_']) {
    db.exec(`CREATE TABLE ${p}props (luid INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (luid, name)) WITHOUT ROWID;
      INSERT INTO ${p}props (luid, name, value) SELECT luid, name, value FROM ${p}prop_values;
      DROP TABLE ${p}prop_values;`);
  }
}
