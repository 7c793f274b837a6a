import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otlpProtocol } from './span-exporter.js';

describe('otlpProtocol', () => {
  it("is the specification's default, http/protobuf, when nothing is set", () => {
    assert.equal(otlpProtocol({}), 'http/protobuf');
  });

  it('follows OTEL_EXPORTER_OTLP_PROTOCOL', () => {
    assert.equal(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), 'http/json');
    assert.equal(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: ' http/protobuf ' }), 'http/protobuf');
  });

  it('lets the traces-only variable win over the general one', () => {
    assert.equal(
      otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }),
      'http/protobuf',
    );
    assert.equal(
      otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }),
      'http/json',
    );
  });
});
