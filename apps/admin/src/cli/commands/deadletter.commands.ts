import { presentDeadLetterSummary } from '../../siem-sinks/siem-sink.presenter.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

/** Enough for any real backlog; the admin API pages through more. */
const LIST_LIMIT = 10_000;

export const deadLettersList: CliCommand = {
  name: 'deadletters list',
  summary: "List a tenant's dead-lettered SIEM deliveries",
  usage: 'deadletters list --tenant SLUG [--sink ID]',
  options: { tenant: { type: 'string' }, sink: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('deadletters list needs --tenant');
    const sink = (values['sink'] as string | undefined) ?? null;
    const letters = await services.deadLetters.listPending(tenant, sink, null, LIST_LIMIT);
    const text =
      letters.length === 0
        ? 'No dead letters.'
        : letters
            .map((letter) =>
              [letter.createdAt.toISOString(), letter.sinkId, `record ${letter.recordId}`, `seq ${letter.sequence}`, letter.error].join(
                ' ',
              ),
            )
            .join('\n');
    output.result({ dead_letters: letters.map(presentDeadLetterSummary) }, text);
  },
};

export const deadLettersReplay: CliCommand = {
  name: 'deadletters replay',
  summary: "Deliver a tenant's dead-lettered SIEM records again",
  usage: 'deadletters replay --tenant SLUG [--sink ID]',
  options: { tenant: { type: 'string' }, sink: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('deadletters replay needs --tenant');
    const replayed = await services.deadLetters.replay(tenant, (values['sink'] as string | undefined) ?? null);
    output.result({ replayed }, `${replayed} dead letter${replayed === 1 ? '' : 's'} queued for replay`);
  },
};
