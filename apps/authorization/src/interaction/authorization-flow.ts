import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { Persistence, type Client, type Tenant } from '@gatehouse/persistence';
import { Clock, authorizationErrorRedirect, ConsentRequired, LoginRequired, resolveMfaPolicy, type OAuthError } from '@gatehouse/protocol';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';
import { issueAuthorizationCode, type Subject } from '../endpoints/authorize/code-issuer.js';
import { CookiePolicy } from '../runtime/cookie-policy.js';
import { ClientCache } from '../tenancy/client-cache.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { BrowserBinding } from './browser-binding.js';
import { redirectTo, type FlowOutcome } from './flow-outcome.js';
import { chooseLocale } from './i18n/index.js';
import { errorPage, page, returnToClient, type PageSubject } from './pages.js';
import { renderDeviceDonePage } from './views/index.js';
import { missingConsent, requestedConsent } from './requested-consent.js';
import { asksForMfa } from './sign-in-completion.js';

const INTERACTION_LIFETIME_MS = 10 * 60 * 1000;

/**
 * The login/consent state machine: login -> (second_factor | enrol) -> consent -> done
 * (sign-in-completion.ts decides what follows the password). Each step either
 * needs the user (an interaction page) or ends with a code or an error on the
 * client's redirect URI.
 */
@Injectable()
export class AuthorizationFlow {
  readonly binding: BrowserBinding;

  constructor(
    private readonly directory: TenantDirectory,
    private readonly clients: ClientCache,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    cookies: CookiePolicy,
  ) {
    this.binding = new BrowserBinding(cookies.secure);
  }

  /** After /authorize validated the request and looked for an SSO session. */
  async begin(
    tenant: Tenant,
    client: Client,
    request: ValidatedAuthorizationRequest,
    subject: Subject | null,
    cookieHeader: string | undefined,
    context: RequestContext,
  ): Promise<FlowOutcome> {
    // A session signed in with the password alone does not satisfy acr_values=urn:gatehouse:acr:mfa, nor a tenant
    // that requires the second factor (sessions from before that policy): sign in again, with the second factor.
    const mfaRequired = asksForMfa(request) || resolveMfaPolicy(tenant.mfaPolicy).secondFactor === 'required';
    if (!subject || (mfaRequired && !subject.amr.includes('mfa'))) {
      if (request.prompt.includes('none')) return this.fail(tenant, request, new LoginRequired(), context);
      return this.interact(tenant, request, 'login', null, cookieHeader);
    }
    // OIDC Core §3.1.2.1 prompt=select_account: the login page offers the account signed in, or another.
    if (request.prompt.includes('select_account')) return this.interact(tenant, request, 'login', subject, cookieHeader);
    return this.afterLogin(tenant, client, request, subject, cookieHeader, context);
  }

  async afterLogin(
    tenant: Tenant,
    client: Client,
    request: ValidatedAuthorizationRequest,
    subject: Subject,
    cookieHeader: string | undefined,
    context: RequestContext,
    setCookies: readonly string[] = [],
    /** The login interaction just completed (now in `consent`): reused for consent, or retired; `on` draws its pages. */
    current?: { readonly id: string; readonly handle: string; readonly on: PageSubject },
  ): Promise<FlowOutcome> {
    if (await this.needsConsent(tenant, client, request, subject.userId)) {
      if (request.prompt.includes('none')) return this.fail(tenant, request, new ConsentRequired(), context);
      if (current) return redirectTo(`${new URL(this.directory.issuer(tenant)).pathname}/interaction/${current.handle}`, setCookies);
      return this.interact(tenant, request, 'consent', subject, cookieHeader, setCookies);
    }
    // A finished interaction must not be usable again (to mint another code later).
    if (current && !(await this.persistence.repositories.interactions.advance(tenant.id, current.id, 'consent', 'done'))) {
      const page = errorPage(409, 'alreadyCompleted', current.on, { returnTo: returnToClient(client, request.redirectUri) });
      return { ...page, setCookies };
    }
    return this.complete(tenant, request, subject, context, setCookies);
  }

  async complete(
    tenant: Tenant,
    request: ValidatedAuthorizationRequest,
    subject: Subject,
    context: RequestContext,
    setCookies: readonly string[] = [],
  ): Promise<FlowOutcome> {
    if (request.device) return this.decideDevice(tenant, request, request.device.authorizationId, subject, true, context, setCookies);
    const location = await issueAuthorizationCode(
      this.persistence,
      tenant,
      this.directory.issuer(tenant),
      request,
      subject,
      context,
      this.clock.now(),
    );
    return redirectTo(location, setCookies);
  }

  /** An error on the (registered) redirect URI, recorded in the audit outbox. */
  async fail(
    tenant: Tenant,
    request: Pick<ValidatedAuthorizationRequest, 'clientId' | 'redirectUri' | 'state' | 'device' | 'uiLocales'>,
    error: OAuthError,
    context: RequestContext,
    userId?: string,
  ): Promise<FlowOutcome> {
    // A device has no redirect URI: the person's refusal is recorded for its next poll; any other error is a page.
    if (request.device)
      return userId !== undefined
        ? this.decideDevice(tenant, request, request.device.authorizationId, { userId }, false, context)
        : errorPage(
            400,
            'invalidRequest',
            { locale: chooseLocale(request.uiLocales, undefined), tenant },
            { detail: error.hint ?? error.description },
          );
    await this.persistence.repositories.auditOutbox.append(tenant.id, [
      {
        type: 'authorization.failed',
        outcome: 'failure',
        occurredAt: this.clock.now(),
        clientId: request.clientId,
        userId,
        errorCode: error.error,
        ...context,
        details: { reason: error.hint ?? error.description },
      },
    ]);
    return redirectTo(authorizationErrorRedirect(request.redirectUri, error, { state: request.state, iss: this.directory.issuer(tenant) }));
  }

  private async needsConsent(tenant: Tenant, client: Client, request: ValidatedAuthorizationRequest, userId: string): Promise<boolean> {
    // RFC 8628 §5.4: the person confirms every device, so a code read out by someone else is not approved unseen.
    if (request.device) return true;
    // RFC 9396: details name one transaction (a payment, an account): consented each time, never remembered.
    if (request.authorizationDetails && request.authorizationDetails.length > 0) return true;
    if (client.firstParty && tenant.consentPolicy === 'skip_first_party') return false;
    if (request.prompt.includes('consent')) return true;
    const granted = await this.persistence.repositories.consents.findGrants(tenant.id, userId, client.clientId);
    return missingConsent(requestedConsent(request), granted).length > 0;
  }

  /**
   * RFC 8628 §3.3: the person's decision on a device authorization, recorded once; the device learns
   * it at its next poll. A page says what happened, since there is no client to redirect to.
   */
  private async decideDevice(
    tenant: Tenant,
    request: Pick<ValidatedAuthorizationRequest, 'clientId' | 'uiLocales'>,
    authorizationId: string,
    subject: Pick<Subject, 'userId'> & Partial<Subject>,
    approved: boolean,
    context: RequestContext,
    setCookies: readonly string[] = [],
  ): Promise<FlowOutcome> {
    const now = this.clock.now();
    const decided = await this.persistence.transaction(async (repos) => {
      const moved = await repos.deviceAuthorizations.decide(
        tenant.id,
        authorizationId,
        approved && subject.authTime
          ? {
              approved: true,
              userId: subject.userId,
              sessionId: subject.sessionId ?? null,
              authTime: subject.authTime,
              amr: subject.amr ?? [],
            }
          : { approved: false, userId: subject.userId },
        now,
      );
      if (moved && !approved)
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'authorization.failed',
            outcome: 'failure',
            occurredAt: now,
            clientId: request.clientId,
            userId: subject.userId,
            errorCode: 'access_denied',
            ...context,
            details: { flow: 'device_authorization', reason: 'the user denied the request' },
          },
        ]);
      return moved;
    });
    const client = await this.clients.find(tenant.id, request.clientId);
    const on = { locale: chooseLocale(request.uiLocales, undefined), tenant, client };
    if (!decided) return { ...errorPage(409, 'alreadyCompleted', on), setCookies };
    return page(on, 200, (chrome) => renderDeviceDonePage(chrome, approved), setCookies);
  }

  private async interact(
    tenant: Tenant,
    request: ValidatedAuthorizationRequest,
    state: 'login' | 'consent',
    subject: Subject | null,
    cookieHeader: string | undefined,
    setCookies: readonly string[] = [],
  ): Promise<FlowOutcome> {
    const browser = this.binding.obtain(cookieHeader);
    const handle = generateOpaqueSecret();
    await this.persistence.repositories.interactions.insert(tenant.id, {
      handleHash: hashOpaqueSecret(handle),
      browserHash: hashOpaqueSecret(browser.secret),
      csrfHash: hashOpaqueSecret(this.binding.csrfToken(browser.secret, handle)),
      clientId: request.clientId,
      request: { ...request, subject: subject ? { ...subject, authTime: subject.authTime.toISOString() } : null },
      state,
      userId: subject?.userId ?? null,
      sessionId: subject?.sessionId ?? null,
      expiresAt: new Date(this.clock.now().getTime() + INTERACTION_LIFETIME_MS),
    });
    const cookies = browser.setCookie ? [...setCookies, browser.setCookie] : setCookies;
    // A path, not an absolute URL: the browser stays on whatever host it reached us by.
    return redirectTo(`${new URL(this.directory.issuer(tenant)).pathname}/interaction/${handle}`, cookies);
  }
}
