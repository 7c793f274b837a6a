/**
 * What `npm start` prints once it listens: where each app answers, issuers under PUBLIC_URL (the
 * address clients must use, not the bind address), and the first steps of a newcomer.
 */
export function startBanner(publicUrl: string, urls: { authorization: string; admin: string; worker: string }): string {
  return [
    '',
    '  Gatehouse is running',
    `    Authorization server  ${publicUrl}   (listening on ${urls.authorization}; issuers: ${publicUrl}/t/{tenant})`,
    `    Admin API             ${urls.admin}`,
    `    Audit worker health   ${urls.worker}/health/ready`,
    '',
    '  Next steps',
    `    API reference and "Try it out":  ${urls.admin}/docs`,
    '    An admin API token:              npm run -s gatehouse -- admin token',
    '    Every command:                   npm run -s gatehouse -- --help',
    '',
    '',
  ].join('\n');
}
