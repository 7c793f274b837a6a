import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracingEnabled } from './start-tracing.js';

describe('tracingEnabled', () => {
  it('is off with neither endpoint, or with blank ones', () => {
    assert.equal(tracingEnabled({}), false);
    assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }), false);
  });

  it('is on with the general endpoint or the traces-only one', () => {
    assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true);
    assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }), true);
    // An empty general one (`OTEL_EXPORTER_OTLP_ENDPOINT=` in .env) does not hide the traces-only one.
    assert.equal(
      tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }),
      true,
    );
  });
});
