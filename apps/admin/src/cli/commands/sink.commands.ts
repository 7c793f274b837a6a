import { presentSinkSummary, sinkState } from '../../siem-sinks/siem-sink.presenter.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const sinkCreate: CliCommand = {
  name: 'sink create',
  summary: 'Add a SIEM sink (where audit records are exported) to a tenant',
  usage:
    'sink create --tenant SLUG --type syslog|splunk-hec|webhook --url URL [--format cef|json|ocsf|ecs] [--token T] [--secret S] [--name N] [--ack]',
  options: {
    tenant: { type: 'string' },
    type: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string' },
    token: { type: 'string' },
    secret: { type: 'string' },
    name: { type: 'string' },
    ack: { type: 'boolean' },
  },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const type = values['type'];
    const url = values['url'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof type !== 'string' || typeof url !== 'string') {
      throw new UsageError('sink create needs --tenant, --type and --url');
    }
    const sink = await services.siemSinks.create({
      tenant,
      type,
      url,
      format: values['format'] as string | undefined,
      token: values['token'] as string | undefined,
      secret: values['secret'] as string | undefined,
      name: values['name'] as string | undefined,
      ackEnabled: values['ack'] === true ? true : undefined,
    });
    output.result({ id: sink.id }, `Created ${sink.type} sink ${sink.id} (${sink.format} to ${sink.url}) in tenant ${tenant}`);
  },
};

export const sinkList: CliCommand = {
  name: 'sink list',
  summary: "List a tenant's SIEM sinks",
  usage: 'sink list --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('sink list needs --tenant');
    const sinks = await services.siemSinks.listPage(tenant, null, Number.MAX_SAFE_INTEGER);
    const text =
      sinks.length === 0
        ? 'No SIEM sinks.'
        : sinks
            .map((sink) =>
              [
                sink.id,
                sink.type.padEnd(10),
                sink.format.padEnd(4),
                sinkState(sink).padEnd(14),
                `exported ${sink.exportedSequence}`,
                sink.url,
              ].join(' '),
            )
            .join('\n');
    output.result({ sinks: sinks.map(presentSinkSummary) }, text);
  },
};
