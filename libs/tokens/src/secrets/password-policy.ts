const MIN_LENGTH = 12;
const MAX_LENGTH = 256;
const COMMON = new Set([
  'password1234',
  '123456789012',
  'qwertyuiop12',
  'passwordpassword',
  'administrator',
  'letmein12345',
  'changeme1234',
  'welcome12345',
  'iloveyou1234',
  '1q2w3e4r5t6y',
  'qwerty123456',
  'abc123456789',
]);

/** NIST SP 800-63B §3.1.1.2 in brief: long enough, not a known-common value, not the username. Null when acceptable. */
export function passwordWeakness(password: string, username?: string): string | null {
  if (password.length === 0) return 'the password is empty';
  if ([...password].length < MIN_LENGTH) return `the password must be at least ${MIN_LENGTH} characters`;
  if (password.length > MAX_LENGTH) return `the password must be at most ${MAX_LENGTH} characters`;
  const lowered = password.toLowerCase();
  if (COMMON.has(lowered) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghijkl)/.test(lowered)) {
    return 'the password is too common';
  }
  if (username && lowered.includes(username.toLowerCase())) return 'the password must not contain the username';
  return null;
}
