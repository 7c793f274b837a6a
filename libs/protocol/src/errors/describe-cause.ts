/** A loggable one-line reason from an internal cause of any type. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  if (cause === undefined || cause === null) return '';
  try {
    return JSON.stringify(cause);
  } catch {
    return 'unserializable cause';
  }
}
