// The real authorization app, on the embedded database in a scratch DATA_DIR.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../dist/libs/config/src/index.js';
import { GatehouseLogger, listen } from '../../dist/libs/observability/src/index.js';
import { openInfrastructure } from '../../dist/libs/persistence/src/index.js';
import { createAuthorizationApp } from '../../dist/apps/authorization/src/index.js';

const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gh-bench-')), LOG_LEVEL: 'error' });
const infrastructure = await openInfrastructure(config);
const app = await createAuthorizationApp(config, infrastructure, new GatehouseLogger(config.log));
process.stdout.write(`LISTENING ${await listen(app, '127.0.0.1', 0)}\n`);
