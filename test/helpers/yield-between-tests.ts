import { afterEach } from 'vitest';

/**
 * Lets the event loop turn after every test. Many tests block on child
 * processes (spawnSync), and vitest chains synchronous tests with promises
 * alone: the worker then reads no reply to its own progress messages until
 * the whole file is done, and on a loaded machine a file over 60 s fails
 * with "Timeout calling onTaskUpdate" although every test passed.
 */
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
