import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthorizationDetailsValidator,
  authorizationDetailTypesProblem,
  InvalidAuthorizationDetails,
  narrowAuthorizationDetails,
  parseAuthorizationDetails,
} from './authorization-details.js';

const refused = (hint: RegExp) => (error: unknown) =>
  error instanceof InvalidAuthorizationDetails && error.error === 'invalid_authorization_details' && hint.test(error.fullDescription);

describe('RFC 9396 authorization details', () => {
  it('parses a non-empty array of typed objects, and refuses anything else with invalid_authorization_details', () => {
    assert.deepEqual(parseAuthorizationDetails('[{"type":"a","x":1}]'), [{ type: 'a', x: 1 }]);
    assert.throws(() => parseAuthorizationDetails('nope'), refused(/not JSON/));
    assert.throws(() => parseAuthorizationDetails('{"type":"a"}'), refused(/non-empty JSON array/));
    assert.throws(() => parseAuthorizationDetails('[]'), refused(/non-empty JSON array/));
    assert.throws(() => parseAuthorizationDetails('[1]'), refused(/must be an object/));
    assert.throws(() => parseAuthorizationDetails('[{"x":1}]'), refused(/needs a type/));
    assert.throws(
      () => parseAuthorizationDetails(JSON.stringify(Array.from({ length: 11 }, () => ({ type: 'a' })))),
      refused(/at most 10/),
    );
    assert.throws(() => parseAuthorizationDetails(JSON.stringify([{ type: 'a', pad: 'x'.repeat(9000) }])), refused(/larger than/));
  });

  it("checks each object against its type's schema; unknown types and types the client may not use are refused", () => {
    const validator = new AuthorizationDetailsValidator({
      account: { type: 'object', required: ['type', 'iban'], properties: { iban: { type: 'string', minLength: 15 } } },
    });
    validator.check([{ type: 'account', iban: 'DE89370400440532013000' }]);
    assert.throws(() => validator.check([{ type: 'account', iban: 'short' }]), refused(/does not match its schema/));
    assert.throws(() => validator.check([{ type: 'payment' }]), refused(/unknown authorization details type payment/));
    assert.throws(() => validator.check([{ type: 'toString' }]), refused(/unknown/), 'no prototype member is a type');
    assert.throws(() => validator.check([{ type: 'account', iban: 'DE89370400440532013000' }], ['payment']), refused(/may not request/));
  });

  it('narrows at the token endpoint to what was granted, field order aside, never more', () => {
    const granted = [{ type: 'a', amount: '1.00', list: [1, 2] }];
    assert.deepEqual(narrowAuthorizationDetails(granted, [{ list: [1, 2], amount: '1.00', type: 'a' }]), [
      { list: [1, 2], amount: '1.00', type: 'a' },
    ]);
    assert.throws(() => narrowAuthorizationDetails(granted, [{ type: 'a', amount: '2.00', list: [1, 2] }]), refused(/not granted/));
  });

  it('accepts registered types only when every schema compiles and every name is plain', () => {
    assert.equal(authorizationDetailTypesProblem({ payment: { type: 'object' } }), null);
    assert.equal(authorizationDetailTypesProblem({}), null);
    assert.match(authorizationDetailTypesProblem({ payment: { type: 'nonsense' } })?.message ?? '', /not a valid JSON Schema/);
    assert.equal(authorizationDetailTypesProblem({ 'a b': {} })?.field, 'authorization_details_types.a b');
    assert.match(authorizationDetailTypesProblem([])?.message ?? '', /must be an object/);
    assert.match(authorizationDetailTypesProblem({ payment: 'schema' })?.message ?? '', /JSON Schema object/);
  });
});
