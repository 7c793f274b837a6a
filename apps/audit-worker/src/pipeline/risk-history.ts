/** The events the risk rules score and remember (libs/risk historyFromAttempts builds the history from them). */
export const LOGIN_TYPES: ReadonlySet<string> = new Set(['login.succeeded', 'login.failed']);
