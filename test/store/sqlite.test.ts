import { join } from 'node:path';
import { openDatabase } from '../../src/prophet/store/open-database.js';
import { SqliteStore } from '../../src/prophet/store/sqlite-store.js';
import { tempDir } from '../helpers/temp-replica.js';
import { storeContract } from './contract.js';

function sqlite(file: string) {
  const db = openDatabase(file, { create: true });
  return { store: new SqliteStore(db, 'main_'), close: () => db.close() };
}

storeContract('SQLite on disk', () => sqlite(join(tempDir(), 'db.sqlite')));
storeContract('SQLite in memory', () => sqlite(':memory:'));
