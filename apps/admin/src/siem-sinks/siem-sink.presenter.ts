import { siemSinkState as sinkState, type SiemDeadLetter, type SiemSink } from '@gatehouse/persistence';

export { sinkState };

/**
 * A sink as the admin API shows it: never its token, secret or TLS key, only whether it has
 * them. Validation requires a token of every splunk-hec sink and a secret of every webhook sink
 * (and allows them nowhere else), so the sealed envelope need not be opened to say so.
 */
export function presentSink(sink: SiemSink): Record<string, unknown> {
  return {
    id: sink.id,
    name: sink.name,
    type: sink.type,
    url: sink.url,
    format: sink.format,
    ack_enabled: sink.ackEnabled,
    max_attempts: sink.maxAttempts,
    enabled: sink.enabled,
    state: sinkState(sink),
    exported_sequence: sink.exportedSequence,
    last_error: sink.lastError,
    last_delivered_at: sink.lastDeliveredAt?.toISOString() ?? null,
    created_at: sink.createdAt.toISOString(),
    has_token: sink.type === 'splunk-hec' && sink.credentials !== null,
    has_secret: sink.type === 'webhook' && sink.credentials !== null,
  };
}

/**
 * What an ETag covers: the sink's configuration, not its export progress, which the worker
 * moves on every batch (an If-Match would otherwise go stale within seconds of a read).
 */
export function sinkVersion(sink: SiemSink): Record<string, unknown> {
  const { state: _state, exported_sequence: _sequence, last_error: _error, last_delivered_at: _delivered, ...config } = presentSink(sink);
  return config;
}

/** `sink list --json`: the contract for scripts. */
export function presentSinkSummary(sink: SiemSink): Record<string, unknown> {
  return {
    id: sink.id,
    name: sink.name,
    type: sink.type,
    url: sink.url,
    format: sink.format,
    enabled: sink.enabled,
    state: sinkState(sink),
    exported_sequence: sink.exportedSequence,
    last_error: sink.lastError,
  };
}

export function presentDeadLetter(letter: SiemDeadLetter): Record<string, unknown> {
  return { ...presentDeadLetterSummary(letter), replay_requested_at: letter.replayedAt?.toISOString() ?? null };
}

/** `deadletters list --json`: the contract for scripts. */
export function presentDeadLetterSummary(letter: SiemDeadLetter): Record<string, unknown> {
  return {
    id: letter.id,
    sink_id: letter.sinkId,
    record_id: letter.recordId,
    sequence: letter.sequence,
    attempts: letter.attempts,
    error: letter.error,
    created_at: letter.createdAt.toISOString(),
  };
}
