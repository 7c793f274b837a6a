import type { BootstrapResult } from './platform-bootstrap.js';

/**
 * A generated administrator password is written once to the terminal, deliberately
 * outside the structured log so it never reaches log storage.
 */
export function announceBootstrap(result: BootstrapResult, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const admin = result.createdAdmin;
  if (!admin?.generatedPassword) return;
  write(
    [
      '',
      '  Gatehouse created the platform administrator for the system tenant:',
      `    username: ${admin.username}`,
      `    password: ${admin.generatedPassword}`,
      '  This password is shown once. Set ADMIN_PASSWORD before the first start to choose it.',
      '',
      '',
    ].join('\n'),
  );
}
