import { describeHealth } from '../../../../test/support/index.js';
import { createAuditWorkerApp } from '../../src/audit-worker.app.js';

describeHealth('audit-worker', createAuditWorkerApp, ['database', 'audit-pipeline', 'siem-sinks']);
