/** A listen error in words that name the setting to change (EADDRINUSE and friends); other errors unchanged. */
export function listenFailure(error: unknown, host: string, port: number, variable: string | undefined): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${variable ? `${variable}: ` : ''}port ${port} on ${host}`;
  if (code === 'EADDRINUSE')
    return new Error(`${where} is already in use (another Gatehouse, or another program): stop it or choose another port`);
  if (code === 'EACCES') return new Error(`${where} needs privileges this process lacks: choose a port above 1023`);
  if (code === 'EADDRNOTAVAIL') return new Error(`${where}: the address is not on this machine (check LISTEN_HOST)`);
  return error instanceof Error ? error : new Error(String(error));
}
