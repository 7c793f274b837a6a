import { GATEHOUSE_CONFIG, type GatehouseConfig } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  SIEM_SINK_TYPES,
  validateSiemSinkConfig,
  type SiemSinkConfig,
  type SiemSinkType,
  type SinkConfigProblem,
  SinkCredentialsSealer,
} from '@gatehouse/audit';
import { Persistence, type SiemSink, type Tenant } from '@gatehouse/persistence';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import type { CreatedPosition } from './siem-cursor.js';
import { presentSink } from './siem-sink.presenter.js';

export interface SinkTlsInput {
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly servername?: string | undefined;
  readonly rejectUnauthorized?: boolean | undefined;
}

/** What the admin API and the CLI ask for; checked as a whole by libs/audit's validateSiemSinkConfig. */
export interface SinkListFilter {
  readonly type?: SiemSinkType | undefined;
  readonly enabled?: boolean | undefined;
}

export interface CreateSinkInput {
  readonly tenant: string;
  readonly name?: string | undefined;
  readonly type?: string | undefined;
  readonly url?: string | undefined;
  readonly format?: string | undefined;
  readonly token?: string | undefined;
  readonly secret?: string | undefined;
  readonly ackEnabled?: boolean | undefined;
  readonly maxAttempts?: number | undefined;
  readonly tls?: SinkTlsInput | undefined;
  readonly actor?: string;
}

/** The body each sink type sends unless told otherwise. */
export const DEFAULT_FORMAT: Readonly<Record<SiemSinkType, SiemSinkConfig['format']>> = {
  syslog: 'cef',
  'splunk-hec': 'json',
  webhook: 'ocsf',
};
export const DEFAULT_MAX_ATTEMPTS = 8;

/** libs/audit names fields as the configuration does; the API's wire names differ for these. */
const WIRE_FIELDS: Readonly<Record<string, string>> = {
  maxAttempts: 'max_attempts',
  ackEnabled: 'ack_enabled',
  'tls.rejectUnauthorized': 'tls.reject_unauthorized',
};

/** A tenant's SIEM sinks. Credentials are sealed to the sink before they reach the database; every write commits with its audit event. */
@Injectable()
export class SiemSinkService {
  /** SIEM_ALLOW_PRIVATE_TARGETS: sinks may name loopback and private hosts. */
  private readonly allowPrivateTargets: boolean;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly sealer: SinkCredentialsSealer,
    private readonly audit: AdminAuditService,
    @Inject(GATEHOUSE_CONFIG) config: GatehouseConfig,
  ) {
    this.allowPrivateTargets = config.siemAllowPrivateTargets;
  }

  /** Oldest first; a tenant has a handful of sinks, so a page is cut from the whole list. */
  async listPage(slug: string, position: CreatedPosition | null, limit: number, filter: SinkListFilter = {}): Promise<SiemSink[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.siemSinks.listPage(tenant.id, position, limit, filter);
  }

  async get(slug: string, id: string): Promise<SiemSink> {
    return this.find(await this.tenants.get(slug), id);
  }

  private async find(tenant: Tenant, id: string): Promise<SiemSink> {
    const sink = await this.persistence.repositories.siemSinks.find(tenant.id, id);
    if (!sink) throw notFound(id);
    return sink;
  }

  async create(input: CreateSinkInput): Promise<SiemSink> {
    const tenant = await this.tenants.get(input.tenant);
    // The sealed credentials are bound to tenant and sink id, so the id comes first.
    const id = randomUUID();
    const config = validate(id, tenant.id, input, this.allowPrivateTargets);
    const name = nameOf(input.name, config);
    const credentials = this.sealer.seal({ tenantId: tenant.id, id }, { token: config.token, secret: config.secret, tls: config.tls });
    return this.persistence.transaction(async (repos) => {
      const sink = await repos.siemSinks.insert(tenant.id, {
        id,
        name,
        type: config.type,
        url: config.url,
        format: config.format,
        credentials,
        ackEnabled: config.ackEnabled ?? false,
        maxAttempts: config.maxAttempts,
      });
      await this.audit.recordIn(repos, tenant.id, {
        actor: input.actor ?? LOCAL_OPERATOR,
        action: 'admin.siem_sink.created',
        target: sink.id,
        before: null,
        after: presentSink(sink),
      });
      return sink;
    });
  }

  /**
   * Pauses or resumes export; `expected` is the version the caller matched with If-Match.
   * Resuming also clears the backoff, so a repaired receiver is tried at once.
   */
  async setEnabled(slug: string, expected: SiemSink, enabled: boolean, actor: string): Promise<SiemSink> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.transaction(async (repos) => {
      const current = await repos.siemSinks.find(tenant.id, expected.id);
      if (!current) throw notFound(expected.id);
      if (current.updatedAt.getTime() !== expected.updatedAt.getTime())
        throw new AdminProblem('precondition_failed', 'the sink changed since you read it; read it again');
      await repos.siemSinks.setEnabled(tenant.id, expected.id, enabled);
      const updated = await repos.siemSinks.find(tenant.id, expected.id);
      if (!updated) throw notFound(expected.id);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.siem_sink.updated',
        target: expected.id,
        before: presentSink(current),
        after: presentSink(updated),
      });
      return updated;
    });
  }

  /** Returns what was deleted; its dead letters go with it. */
  async delete(slug: string, id: string, actor: string = LOCAL_OPERATOR): Promise<SiemSink> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.transaction(async (repos) => {
      const sink = await repos.siemSinks.find(tenant.id, id);
      if (!sink || !(await repos.siemSinks.delete(tenant.id, id))) throw notFound(id);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.siem_sink.deleted',
        target: id,
        before: presentSink(sink),
        after: null,
      });
      return sink;
    });
  }
}

function validate(id: string, tenantId: string, input: CreateSinkInput, allowPrivateTargets: boolean): SiemSinkConfig {
  const type = (SIEM_SINK_TYPES as readonly (string | undefined)[]).includes(input.type) ? (input.type as SiemSinkType) : undefined;
  const result = validateSiemSinkConfig(
    {
      id,
      tenantId,
      type: input.type,
      url: input.url,
      format: input.format ?? (type ? DEFAULT_FORMAT[type] : undefined),
      token: input.token,
      secret: input.secret,
      ackEnabled: input.ackEnabled,
      maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      tls: input.tls ? withoutUndefined(input.tls) : undefined,
    },
    { allowPrivateTargets },
  );
  if (result.ok) return result.config;
  // Without a valid type there is no default format to complain about; the type is the problem.
  const problems = result.problems.filter((problem) => !(problem.field === 'format' && input.format === undefined));
  throw problemOf(problems);
}

/** Every problem in one message (one answer says all that must change), the first one's field as the field. */
function problemOf(problems: readonly SinkConfigProblem[]): AdminProblem {
  const wire = problems.map((problem) => ({ field: WIRE_FIELDS[problem.field] ?? problem.field, message: problem.message }));
  const first = wire[0] ?? { field: 'type', message: 'is not a valid sink' };
  const sentence = (problem: SinkConfigProblem) =>
    /^(is|must) /.test(problem.message) ? `${problem.field} ${problem.message}` : `${problem.field}: ${problem.message}`;
  return new AdminProblem('validation_failed', wire.map(sentence).join('; '), first.field);
}

function nameOf(name: string | undefined, config: SiemSinkConfig): string {
  if (name === undefined) return `${config.type} ${new URL(config.url).host}`.slice(0, 200);
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
  return trimmed;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function notFound(id: string): AdminProblem {
  return new AdminProblem('not_found', `unknown SIEM sink "${id.slice(0, 64)}"`);
}
