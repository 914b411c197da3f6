#!/usr/bin/env node
import { versionOnly } from '../dist/bin/prophet/cli/version.js';

// The version is answered before the command set and its dependencies load, so it costs little more than starting Node.
const argv = process.argv.slice(2);
const version = versionOnly('prophet', argv);
if (version !== undefined) process.stdout.write(version);
else process.exitCode = await (await import('../dist/bin/prophet/cli/main.js')).main(argv);
