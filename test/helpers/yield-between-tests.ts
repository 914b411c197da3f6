import { afterEach } from 'vitest';

/**
 * Most CLI tests are synchronous (spawnSync), and vitest runs a file's
 * synchronous tests back to back without returning to the event loop. On a
 * loaded machine a file then blocks its worker for over a minute, the
 * worker cannot read vitest's answers to its progress reports, and vitest
 * fails the run with `Timeout calling "onTaskUpdate"` although every test
 * passed. Two turns of setImmediate between tests pass through the event
 * loop's I/O phase, so answers are read after each test instead.
 */
afterEach(async () => {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
});
