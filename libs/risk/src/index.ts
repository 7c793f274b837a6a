export { DEFAULT_RISK_POLICY, RISK_POLICY_BOUNDS, resolveRiskPolicy, type RiskPolicy } from './risk-policy.js';
