/**
 * Loaded before every test file (vitest.config.ts). The worker reports to
 * vitest over an RPC with a fixed 60 s timeout, and a test file of
 * synchronous tests (the CLI tests run their commands with spawnSync)
 * never lets the event loop reach the replies: on a loaded machine such a
 * file runs past 60 s and the run fails with "Timeout calling
 * onTaskUpdate" though every test passed. One macrotask turn after each
 * test lets the worker read them.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
