export { generateCodeVerifier, isValidCodeVerifier, isValidS256Challenge, s256Challenge, verifyS256 } from './pkce.js';
