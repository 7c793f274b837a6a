import { describeHealth } from '../../../../test/support/index.js';
import { createAdminApp } from '../../src/admin.app.js';

describeHealth('admin', createAdminApp, ['database', 'signing-keys']);
