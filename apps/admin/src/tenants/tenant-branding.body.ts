import type { TenantBranding } from '@gatehouse/persistence';
import { displayUriProblem, hasLoneSurrogate } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

/**
 * An inline (data:) logo of up to 60 KiB of text (some 45 KB of image): a small SVG or PNG fits, and
 * so does the PATCH that carries it, as every Gatehouse app takes request bodies of up to 64 KiB.
 */
export const BRANDING_LOGO_MAX_LENGTH = 60 * 1024;
export const BRANDING_PAGE_TITLE_MAX_LENGTH = 100;

/** Wire name → domain name; the stored JSON and the API both use the wire names. */
const MEMBERS = { logo_uri: 'logoUri', primary_color: 'primaryColor', page_title: 'pageTitle', support_uri: 'supportUri' } as const;
type WireName = keyof typeof MEMBERS;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const COLOR = /^#[0-9a-f]{6}$/i;
// C0/C1 controls, and the bidi embeddings, overrides and isolates that make a title read backwards.
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * PATCH /tenants/{tenant} `branding`: the whole look at once (members left out take the default
 * look; `{}` is the default look). Every member is checked; a problem names `branding.<member>`.
 */
export function parseBranding(value: unknown): TenantBranding | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AdminProblem('validation_failed', 'branding must be an object; send {} for the default look', 'branding');
  const branding: Mutable<TenantBranding> = {};
  for (const [member, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!Object.hasOwn(MEMBERS, member))
      throw invalid(member, `branding.${member} is not a branding setting; known: ${Object.keys(MEMBERS).join(', ')}`);
    const wire = member as WireName;
    if (raw === null) continue;
    if (typeof raw !== 'string') throw invalid(wire, `branding.${wire} must be a string`);
    branding[MEMBERS[wire]] = raw;
  }
  return normalizeBranding(branding);
}

/**
 * Branding checked and in its stored form (colour in lower case, title trimmed); the service runs
 * it too, for callers in process (the CLI, fixtures) that skip the HTTP body.
 */
export function normalizeBranding(branding: TenantBranding): TenantBranding {
  const normalized: Mutable<TenantBranding> = {};
  for (const [wire, field] of Object.entries(MEMBERS) as [WireName, (typeof MEMBERS)[WireName]][]) {
    const value = branding[field];
    if (value !== undefined) normalized[field] = checked(wire, value);
  }
  return normalized;
}

/** The branding as GET shows it: wire names, only the members set. */
export function presentBranding(branding: TenantBranding): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [wire, field] of Object.entries(MEMBERS)) {
    const value = branding[field];
    if (value !== undefined) shown[wire] = value;
  }
  return shown;
}

function checked(member: WireName, value: string): string {
  switch (member) {
    case 'logo_uri':
      return uri(member, value, { dataImageMaxLength: BRANDING_LOGO_MAX_LENGTH });
    case 'support_uri':
      return uri(member, value, { mailto: true });
    case 'primary_color':
      if (!COLOR.test(value)) throw invalid(member, 'branding.primary_color must be a colour as #rrggbb (six hex digits)');
      return value.toLowerCase();
    case 'page_title': {
      const title = value.trim();
      if (title.length === 0 || title.length > BRANDING_PAGE_TITLE_MAX_LENGTH)
        throw invalid(member, `branding.page_title must be 1-${BRANDING_PAGE_TITLE_MAX_LENGTH} characters`);
      if (CONTROL.test(title) || hasLoneSurrogate(title))
        throw invalid(member, 'branding.page_title must not contain control or bidirectional formatting characters');
      return title;
    }
  }
}

function uri(member: WireName, value: string, options: Parameters<typeof displayUriProblem>[1]): string {
  const problem = displayUriProblem(value, options);
  if (problem) throw invalid(member, `branding.${member} ${problem}`);
  return value;
}

function invalid(member: string, message: string): AdminProblem {
  return new AdminProblem('validation_failed', message, `branding.${member}`);
}
