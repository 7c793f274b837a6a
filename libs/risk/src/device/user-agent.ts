import UAParser from 'ua-parser-js';

export interface ParsedUserAgent {
  /** Name and major version, e.g. `Chrome 124`. */
  readonly browser?: string | undefined;
  /** Name and version, e.g. `Windows 10`, `iOS 17.4`. */
  readonly os?: string | undefined;
  /** ua-parser-js device type (`mobile`, `tablet`, ...); absent for desktops. */
  readonly type?: string | undefined;
}

// ua-parser-js trims to 500 characters itself; cutting earlier bounds the regex work on hostile input.
const MAX_USER_AGENT_LENGTH = 512;

/** Describes a User-Agent header for the audit record; a missing or unrecognised header gives empty fields. */
export function parseUserAgent(userAgent: string | null | undefined): ParsedUserAgent {
  if (!userAgent) return {};
  const result = new UAParser(userAgent.slice(0, MAX_USER_AGENT_LENGTH)).getResult();
  const major = result.browser.version?.split('.', 1)[0];
  return {
    browser: joined(result.browser.name, major),
    os: joined(result.os.name, result.os.version),
    type: result.device.type || undefined,
  };
}

function joined(name: string | undefined, version: string | undefined): string | undefined {
  if (!name) return undefined;
  return version ? `${name} ${version}` : name;
}
