import { LOCAL_OPERATOR } from '../../tenants/tenant.service.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const userRevokeSessions: CliCommand = {
  name: 'user revoke-sessions',
  summary: "End a user's sessions and revoke their tokens",
  usage: 'user revoke-sessions --tenant SLUG --username U',
  options: { tenant: { type: 'string' }, username: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user revoke-sessions needs --tenant and --username');
    }
    const revoked = await services.sessions.revokeAll(tenant, username, LOCAL_OPERATOR);
    output.result(
      { sessions: revoked.sessions, grants: revoked.grants, backchannel_logouts: revoked.backchannelLogouts },
      `Signed ${username} out of tenant ${tenant}: ${revoked.sessions} session(s) ended, ${revoked.grants} grant(s) revoked, ${revoked.backchannelLogouts} back-channel logout(s) queued`,
    );
  },
};

export const userDelete: CliCommand = {
  name: 'user delete',
  summary: 'Delete a user and everything that signs them in (erasure); needs --yes',
  usage: 'user delete --tenant SLUG --username U --yes',
  options: { tenant: { type: 'string' }, username: { type: 'string' }, yes: { type: 'boolean' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user delete needs --tenant and --username');
    }
    if (values['yes'] !== true) throw new UsageError(`deleting ${username} cannot be undone: add --yes to confirm`);
    const { revoked } = await services.users.erase(tenant, username, LOCAL_OPERATOR);
    output.result(
      { deleted: username, sessions: revoked?.sessions ?? 0, grants: revoked?.grants ?? 0 },
      `Deleted ${username} from tenant ${tenant} (${revoked?.sessions ?? 0} session(s) ended, ${revoked?.grants ?? 0} grant(s) revoked)`,
    );
  },
};

export const userResetFactors: CliCommand = {
  name: 'user reset-factors',
  summary: "Remove a user's second factors (TOTP, recovery codes, passkeys)",
  usage: 'user reset-factors --tenant SLUG --username U',
  options: { tenant: { type: 'string' }, username: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user reset-factors needs --tenant and --username');
    }
    const { removed } = await services.users.resetFactors(tenant, username, LOCAL_OPERATOR);
    output.result(
      { tenant, username, factors_removed: removed },
      removed ? `Reset the second factors of ${username} in tenant ${tenant}` : `${username} in tenant ${tenant} had no second factor`,
    );
  },
};

export const userUnlock: CliCommand = {
  name: 'user unlock',
  summary: "Lift a user's temporary or hard lock",
  usage: 'user unlock --tenant SLUG --username U',
  options: { tenant: { type: 'string' }, username: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user unlock needs --tenant and --username');
    }
    const user = await services.users.unlock(tenant, username, LOCAL_OPERATOR);
    output.result({ tenant, username: user.username, locked: false }, `Unlocked ${user.username} in tenant ${tenant}`);
  },
};
