import { describe, it } from 'vitest';
import { queryContract } from '../http/query-contract.js';
import { serverContract } from '../http/server-contract.js';
import { tokenContract } from '../http/token-contract.js';
import { newHub } from './new-hub.js';
import { pgServer } from './pg-database.js';

if (pgServer()) {
  serverContract('PostgreSQL', newHub);
  tokenContract('PostgreSQL', newHub);
  queryContract('PostgreSQL', newHub);
} else {
  describe('prophet server on PostgreSQL', () => it.skip("needs the run's PostgreSQL (test/hub/global-setup.ts)", () => undefined));
}
