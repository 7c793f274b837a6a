import { describeHealth } from '../../../../test/support/index.js';
import { createAuthorizationApp } from '../../src/authorization.app.js';

describeHealth('authorization', createAuthorizationApp, ['database', 'signing-keys']);
