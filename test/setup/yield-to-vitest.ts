import { afterEach } from 'vitest';

/**
 * Most CLI tests run prophet with spawnSync, which blocks this worker's
 * event loop. Vitest's worker reports progress to the main process and
 * fails the run if it has not read the answer within 60 s; a file of
 * synchronous tests that together take longer (on a loaded machine)
 * never lets it read one. Yielding to the event loop after each test does.
 */
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
