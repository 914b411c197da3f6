#!/usr/bin/env node
import module from 'node:module';
import { versionOnly } from '../dist/bin/prophet/cli/version.js';

// The version is answered before the command set and its dependencies load, so it costs little more than starting Node.
const argv = process.argv.slice(2);
// Node 22.8 and later keep the compiled code between runs (NODE_COMPILE_CACHE, else the temporary directory), a good part of a command's start; Node 20 compiles every time.
module.enableCompileCache?.();
const version = versionOnly('prophet', argv);
if (version !== undefined) process.stdout.write(version);
else process.exitCode = await (await import('../dist/bin/prophet/cli/main.js')).main(argv);
