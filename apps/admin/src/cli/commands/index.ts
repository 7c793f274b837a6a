import type { CliCommand } from '../cli-context.js';
import { adminToken } from './admin-token.command.js';
import { apiCreate } from './api.commands.js';
import { auditList, auditVerify } from './audit.commands.js';
import { deadLettersList, deadLettersReplay } from './deadletter.commands.js';
import { registrationTokenCreate } from './registration-token.command.js';
import { clientCreate } from './client.commands.js';
import { keysRotate } from './keys.commands.js';
import {
  apiDelete,
  apiList,
  clientDelete,
  clientGet,
  clientList,
  tenantDelete,
  tenantGet,
  userGet,
  userList,
} from './lifecycle.commands.js';
import { migrate } from './migrate.command.js';
import { sinkCreate, sinkList } from './sink.commands.js';
import { tenantCreate, tenantList, tenantUpdate } from './tenant.commands.js';
import { userCreate } from './user.commands.js';
import { userDelete, userResetFactors, userRevokeSessions, userUnlock } from './user-sessions.commands.js';

export const COMMANDS: readonly CliCommand[] = [
  tenantCreate,
  tenantList,
  tenantGet,
  tenantUpdate,
  tenantDelete,
  userCreate,
  userList,
  userGet,
  userRevokeSessions,
  userResetFactors,
  userUnlock,
  userDelete,
  clientCreate,
  clientList,
  clientGet,
  clientDelete,
  keysRotate,
  apiCreate,
  apiList,
  apiDelete,
  adminToken,
  registrationTokenCreate,
  auditList,
  auditVerify,
  sinkCreate,
  sinkList,
  deadLettersList,
  deadLettersReplay,
  migrate,
];
