import { presentAuditSummary, presentVerification } from '../../audit-records/audit-record.presenter.js';
import { parseAuditFilter } from '../../audit-records/audit-records.query.js';
import { AdminProblem } from '../../errors/admin-problem.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

const EXIT_CHAIN_BROKEN = 1;

export const auditList: CliCommand = {
  name: 'audit list',
  summary: "List a tenant's audit records, newest first",
  usage: 'audit list --tenant SLUG [--since ISO] [--type T] [--limit N]',
  options: { tenant: { type: 'string' }, since: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('audit list needs --tenant');
    const rawLimit = values['limit'];
    const limit = rawLimit === undefined ? 20 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new AdminProblem('validation_failed', 'limit must be an integer from 1 to 1000');
    const filter = parseAuditFilter({ since: values['since'], type: values['type'] });
    const records = await services.auditRecords.list(tenant, filter, null, limit);
    const text =
      records.length === 0
        ? 'No audit records.'
        : records
            .map((record) =>
              [
                record.occurredAt.toISOString(),
                record.type.padEnd(28),
                record.outcome.padEnd(8),
                (record.userId ?? record.username ?? '-').padEnd(24),
                (record.ip ?? '-').padEnd(16),
                `risk ${record.risk.score}`,
              ].join(' '),
            )
            .join('\n');
    output.result({ records: records.map(presentAuditSummary) }, text);
  },
};

export const auditVerify: CliCommand = {
  name: 'audit verify',
  summary: "Verify a tenant's audit hash chain end to end",
  usage: 'audit verify --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('audit verify needs --tenant');
    const result = await services.auditRecords.verify(tenant);
    const fault = result.firstBreak;
    output.result(
      presentVerification(result),
      fault
        ? `audit chain broken at record ${fault.id ?? '(missing)'} (sequence ${fault.sequence}): ${fault.reason}`
        : `audit chain intact: ${result.checked} records checked`,
    );
    return result.intact ? 0 : EXIT_CHAIN_BROKEN;
  },
};
