import pg from 'pg';
import { PgConnection } from './src/prophet/store/postgres/pg-connection.ts';
const url = 'postgres://postgres@127.0.0.1:55871/postgres';
const c = new pg.Client({ connectionString: url }); await c.connect();
const s = new PgConnection(url);
const N = 3000;
for (let r = 0; r < 3; r++) {
  let t = performance.now(); for (let i = 0; i < N; i++) await c.query('SELECT $1::int + 1', [i]); const a = (performance.now() - t) * 1000 / N;
  t = performance.now(); for (let i = 0; i < N; i++) s.query('SELECT $1::int + 1', [i]); const b = (performance.now() - t) * 1000 / N;
  console.log(`pg async ${a.toFixed(0)} µs, PgConnection (worker + Atomics.wait) ${b.toFixed(0)} µs per trivial query`);
}
process.exit(0);
