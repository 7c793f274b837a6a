import type { BootstrapResult } from './platform-bootstrap.js';

/**
 * Where the generated administrator password is, written once to the terminal. Never the
 * password itself: container log drivers keep stdout (issue 10 item 13).
 */
export function announceBootstrap(result: BootstrapResult, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const admin = result.createdAdmin;
  if (!admin?.passwordFile) return;
  write(
    [
      '',
      '  Gatehouse created the platform administrator for the system tenant:',
      `    username: ${admin.username}`,
      `    password file: ${admin.passwordFile} (readable only by this user)`,
      '  Sign in, change the password, then delete the file. Set ADMIN_PASSWORD or ADMIN_PASSWORD_FILE',
      '  before the first start to choose it.',
      '',
      '',
    ].join('\n'),
  );
}
