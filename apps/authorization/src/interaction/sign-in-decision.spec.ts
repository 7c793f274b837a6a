import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MFA_POLICY, type MfaPolicy } from '@gatehouse/protocol';
import { DEFAULT_RISK_POLICY } from '@gatehouse/risk';
import { chooseSignInStep, decideOnRisk, riskDecisionDetails, type RiskDecision } from './sign-in-decision.js';

const scored = (score: number) =>
  decideOnRisk({ score, reasons: score > 0 ? [{ rule: 'device.new', points: score, detail: 'unseen device' }] : [] }, DEFAULT_RISK_POLICY);

const step = (facts: { hasFactor?: boolean; asks?: boolean; risk?: RiskDecision; policy?: Partial<MfaPolicy> }) =>
  chooseSignInStep({
    hasFactor: facts.hasFactor ?? false,
    clientAsksForMfa: facts.asks ?? false,
    risk: facts.risk ?? scored(0),
    mfaPolicy: { ...DEFAULT_MFA_POLICY, ...facts.policy },
  });

describe('decideOnRisk', () => {
  it('allows below 50, steps up from 50, blocks from 90 (the defaults)', () => {
    assert.equal(scored(49).action, 'allow');
    assert.equal(scored(50).action, 'step_up');
    assert.equal(scored(89).action, 'step_up');
    assert.equal(scored(90).action, 'block');
    assert.deepEqual(scored(50).rules, ['device.new']);
  });

  it('an unscored login (the assessment failed) is allowed', () => {
    assert.equal(decideOnRisk(null, DEFAULT_RISK_POLICY).action, 'allow');
  });

  it('101 turns a threshold off', () => {
    const policy = { stepUpScore: 101, blockScore: 101 };
    assert.equal(decideOnRisk({ score: 100, reasons: [] }, policy).action, 'allow');
  });
});

describe('chooseSignInStep', () => {
  it('nothing asks for a second factor: done with the password', () => {
    assert.deepEqual(step({}), { next: 'complete' });
  });

  it('a user with a factor always gives it', () => {
    assert.deepEqual(step({ hasFactor: true }), { next: 'second_factor', because: ['enrolled'] });
  });

  it('the client asks (acr_values) or the tenant requires it: a user without a factor enrols', () => {
    assert.deepEqual(step({ asks: true }), { next: 'enrol', because: ['acr_values'] });
    assert.deepEqual(step({ policy: { secondFactor: 'required' } }), { next: 'enrol', because: ['tenant_policy'] });
  });

  it('a step-up: the factor when there is one; refused without one, unless the tenant lets such users enrol', () => {
    assert.deepEqual(step({ hasFactor: true, risk: scored(60) }), { next: 'second_factor', because: ['enrolled', 'risk'] });
    assert.deepEqual(step({ risk: scored(60) }), { next: 'refuse', reason: 'step_up_without_factor' });
    assert.deepEqual(step({ risk: scored(60), asks: true }), { next: 'refuse', reason: 'step_up_without_factor' });
    assert.deepEqual(step({ risk: scored(60), policy: { stepUpWithoutFactor: 'enrol' } }), { next: 'enrol', because: ['risk'] });
  });

  it('a block refuses even a user with a factor', () => {
    assert.deepEqual(step({ hasFactor: true, risk: scored(95) }), { next: 'refuse', reason: 'risk_blocked' });
  });

  it('records the decision with its thresholds, rules and outcome', () => {
    const risk = scored(60);
    assert.deepEqual(riskDecisionDetails(risk, step({ hasFactor: true, risk })), {
      action: 'step_up',
      score: 60,
      step_up_score: 50,
      block_score: 90,
      rules: ['device.new'],
      outcome: 'second_factor',
      second_factor_because: ['enrolled', 'risk'],
    });
  });
});
