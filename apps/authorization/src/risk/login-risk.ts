import type { RiskAssessment } from '@gatehouse/audit';
import type { Persistence, Tenant } from '@gatehouse/persistence';
import {
  credentialStuffingWindow,
  historyStart,
  LoginHistoryIndex,
  parseUserAgent,
  resolveRiskPolicy,
  scoreLogin,
  type LazyGeoIp,
} from '@gatehouse/risk';

export interface LoginAttemptFacts {
  readonly userId: string;
  readonly username: string;
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
  /** The device id the browser proved; absent for a new browser. */
  readonly presentedDeviceId: string | undefined;
  readonly at: Date;
}

/**
 * The risk of a login, evaluated while the user waits, with the same rules and history
 * the audit worker uses (libs/risk). Recorded on the login event; adaptive decisions
 * (step-up, blocking) build on it. Never fails the login: a lookup error scores nothing.
 */
export class LoginRisk {
  constructor(
    private readonly persistence: Persistence,
    private readonly geoIp: LazyGeoIp,
  ) {}

  async assess(tenant: Tenant, facts: LoginAttemptFacts): Promise<RiskAssessment> {
    const policy = resolveRiskPolicy(tenant.riskPolicy);
    const location = facts.ip
      ? await this.geoIp.locate(facts.ip).catch(() => ({ kind: 'unknown' as const }))
      : { kind: 'unknown' as const };
    const attempts = await this.persistence.repositories.auditRecords.loginHistory(
      tenant.id,
      { userIds: [facts.userId], usernames: [facts.username.toLowerCase()] },
      facts.ip ? [facts.ip] : [],
      historyStart(facts.at, policy),
      { ipWindow: credentialStuffingWindow(facts.at, policy) },
    );
    return scoreLogin(
      {
        at: facts.at,
        userId: facts.userId,
        username: facts.username,
        ip: facts.ip,
        location,
        device: { ...(facts.presentedDeviceId ? { id: facts.presentedDeviceId } : {}), ...parseUserAgent(facts.userAgent) },
      },
      new LoginHistoryIndex(attempts, policy),
      policy,
    );
  }
}
