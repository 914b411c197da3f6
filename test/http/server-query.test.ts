import { newReplica } from '../helpers/temp-replica.js';
import { queryContract } from './query-contract.js';

queryContract('SQLite', newReplica);
