import { GatehouseLogger } from '@gatehouse/observability';
import { BackchannelLogoutDispatcher } from '../../apps/audit-worker/src/index.js';
import type { RunningAuthorizationServer } from './authorization-server.js';

/** The audit worker's back-channel logout dispatcher over a test server's infrastructure, driven by `runOnce()`. */
export function createBackchannelDispatcher(server: RunningAuthorizationServer): BackchannelLogoutDispatcher {
  const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
  return new BackchannelLogoutDispatcher(server.config, server.infrastructure.persistence, silent);
}
