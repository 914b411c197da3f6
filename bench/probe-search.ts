import { join } from 'node:path';
import { runQuery } from '../src/prophet/replica/query.js';
import { openSdReplica } from '../src/sd/model/app.js';
import { TICKET } from '../src/sd/model/record-types.js';
import { median } from './measure.js';
import { generateSdDataset } from './sd-dataset.js';
const data = generateSdDataset(join('/tmp/sd-search-bench-50000', 'replica'), { tickets: 50000 });
const replica = openSdReplica(data.root, { env: data.env });
const qs = (process.env.QS ?? '12345|unicode|unicode limit:20|"unicode crash"|unicode status:open owner:' + data.sampleOwner + '|reproduce limit:20|created:>=2026-01-01 limit:20').split('|');
for (const q of qs) {
  const found = runQuery(replica, TICKET, q);
  const ms = median(5, () => runQuery(replica, TICKET, q));
  console.log(ms.toFixed(1).padStart(8), 'ms', String(found.records.length).padStart(6), String(found.total ?? '').padStart(6), q);
}
