import { Injectable } from '@nestjs/common';
import { Persistence, type Client, type Interaction, type Tenant } from '@gatehouse/persistence';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';
import type { Subject } from '../endpoints/authorize/code-issuer.js';
import { PasskeyCeremonies } from '../passkeys/passkey-ceremonies.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import type { FlowOutcome } from './flow-outcome.js';
import { translatorFor } from './i18n/index.js';
import { errorPage, page, returnToClient, type PageSubject } from './pages.js';
import { requestedConsent } from './requested-consent.js';
import {
  describeScope,
  renderConsentPage,
  renderEnrolPage,
  renderLoginPage,
  renderRecoveryCodesPage,
  renderSecondFactorPage,
  type ConsentApi,
  type PasskeyOffer,
  type LoginPageError,
} from './views/index.js';

/** An interaction found by its handle, with what its pages need. */
export interface LoadedInteraction {
  readonly tenant: Tenant;
  readonly interaction: Interaction;
  readonly client: Client;
  readonly request: ValidatedAuthorizationRequest & { subject: (Omit<Subject, 'authTime'> & { authTime: string }) | null };
  /** The language, tenant and client its pages are drawn for. */
  readonly pageSubject: PageSubject;
}

/** How the login page is shown again: why the last submission failed, what was typed, the account to offer. */
export interface LoginPageOptions {
  readonly error?: LoginPageError | undefined;
  readonly username?: string | undefined;
  /** prompt=select_account: the username of the account signed in, offered first. */
  readonly currentAccount?: string | undefined;
  /** A throttled submission (RFC 9110 §10.2.3 Retry-After on the 429). */
  readonly retryAfterSeconds?: number | undefined;
}

export type StartAgainKind = 'signInExpired' | 'alreadyCompleted' | 'formRefused' | 'alreadySubmitted';

/** The login and consent pages of one interaction, and the page that sends a person back to its client. */
@Injectable()
export class InteractionPages {
  constructor(
    private readonly persistence: Persistence,
    private readonly directory: TenantDirectory,
    private readonly passkeys: PasskeyCeremonies,
  ) {}

  /** An error page that offers to start again at the client (its redirect URI was validated with the request). */
  startAgain(loaded: LoadedInteraction, status: number, kind: StartAgainKind): FlowOutcome {
    return errorPage(status, kind, loaded.pageSubject, { returnTo: returnToClient(loaded.client, loaded.request.redirectUri) });
  }

  async login(
    loaded: LoadedInteraction,
    handle: string,
    csrfToken: string,
    status: number,
    options: LoginPageOptions = {},
  ): Promise<FlowOutcome> {
    const { error, username, currentAccount, retryAfterSeconds } = options;
    const path = this.interactionPath(loaded.tenant, handle);
    // docs/adr/0010: a discoverable passkey instead of the password, where the tenant allows it.
    const passkeyOptions =
      loaded.tenant.passkeyLogin === 'passwordless'
        ? await this.passkeys.authenticationOptions(loaded.tenant, null, `interaction:${loaded.interaction.id}`)
        : null;
    const shown = page(loaded.pageSubject, status, (chrome) =>
      renderLoginPage({
        chrome,
        formAction: `${path}/login`,
        csrfToken,
        username,
        error,
        loginHint: loaded.request.loginHint,
        currentAccount: currentAccount === undefined ? undefined : { username: currentAccount, formAction: `${path}/continue-as` },
        passkey: passkeyOptions ? this.offer(loaded.tenant, handle, 'authenticate', '/login/passkey', passkeyOptions) : undefined,
      }),
    );
    return shown.kind === 'page' && retryAfterSeconds !== undefined ? { ...shown, retryAfterSeconds } : shown;
  }

  /** After the password: the user's passkeys, and the TOTP or recovery code when TOTP is set up. */
  async secondFactor(
    loaded: LoadedInteraction,
    handle: string,
    csrfToken: string,
    status: number,
    error?: 'failed' | 'locked' | 'passkeyFailed',
  ): Promise<FlowOutcome> {
    const { tenant, interaction } = loaded;
    const userId = interaction.userId ?? '';
    const options = await this.passkeys.authenticationOptions(tenant, userId, `interaction:${interaction.id}`);
    const totp = (await this.persistence.repositories.secondFactors.findTotp(tenant.id, userId))?.confirmedAt != null;
    // Every factor removed since the password (an admin reset, the security page): start again.
    if (!options && !totp) return this.startAgain(loaded, 400, 'signInExpired');
    return page(loaded.pageSubject, status, (chrome) =>
      renderSecondFactorPage({
        chrome,
        formAction: `${this.interactionPath(tenant, handle)}/second-factor`,
        csrfToken,
        error,
        totp,
        passkey: options ? this.offer(tenant, handle, 'authenticate', '/second-factor/passkey', options) : undefined,
      }),
    );
  }

  /** TOTP enrolment, with "use a passkey instead". */
  async enrol(
    loaded: LoadedInteraction,
    handle: string,
    csrfToken: string,
    status: number,
    factor: { qrDataUrl: string; secret: string; error?: 'failed' | 'locked' | 'passkeyFailed' | undefined },
  ): Promise<FlowOutcome> {
    const { tenant, interaction } = loaded;
    const user = interaction.userId ? await this.persistence.repositories.users.findById(tenant.id, interaction.userId) : null;
    const options = user ? await this.passkeys.registrationOptions(tenant, user, `interaction:${interaction.id}`) : null;
    return page(loaded.pageSubject, status, (chrome) =>
      renderEnrolPage({
        chrome,
        formAction: `${this.interactionPath(tenant, handle)}/enrol`,
        csrfToken,
        ...factor,
        passkey: options ? this.offer(tenant, handle, 'register', '/enrol/passkey', options) : undefined,
      }),
    );
  }

  /** Shown once, with the new session's cookie; its button continues the sign-in. */
  recoveryCodes(
    loaded: LoadedInteraction,
    handle: string,
    csrfToken: string,
    codes: readonly string[],
    setCookies: readonly string[],
  ): FlowOutcome {
    return page(
      loaded.pageSubject,
      200,
      (chrome) =>
        renderRecoveryCodesPage({ chrome, formAction: `${this.interactionPath(loaded.tenant, handle)}/continue`, csrfToken, codes }),
      setCookies,
    );
  }

  async consent(loaded: LoadedInteraction, handle: string, csrfToken: string): Promise<FlowOutcome> {
    const { tenant, client } = loaded;
    const t = translatorFor(loaded.pageSubject.locale);
    const brand = tenant.branding.pageTitle ?? tenant.name;
    const describe = (names: readonly string[]) => names.map((name) => ({ name, description: describeScope(name, t, brand) }));
    const requested = requestedConsent(loaded.request);
    const apis: ConsentApi[] = [];
    for (const { resource, scopes } of requested) {
      if (resource === null) continue;
      const api = await this.persistence.repositories.apis.findByIdentifier(tenant.id, resource);
      apis.push({ name: api?.name ?? resource, identifier: resource, scopes: describe(scopes) });
    }
    // Whose account it is: a shared computer may still be signed in as someone else.
    const user = loaded.interaction.userId
      ? await this.persistence.repositories.users.findById(tenant.id, loaded.interaction.userId)
      : null;
    return page(loaded.pageSubject, 200, (chrome) =>
      renderConsentPage({
        chrome: { ...chrome, client: chrome.client ?? { name: client.name } },
        scopes: describe(requested.find((entry) => entry.resource === null)?.scopes ?? []),
        apis,
        formAction: `${this.interactionPath(tenant, handle)}/consent`,
        csrfToken,
        ...(user ? { userName: user.username } : {}),
        ...(loaded.request.authorizationDetails ? { authorizationDetails: loaded.request.authorizationDetails } : {}),
      }),
    );
  }

  private offer(tenant: Tenant, handle: string, ceremony: PasskeyOffer['ceremony'], path: string, options: string): PasskeyOffer {
    return {
      ceremony,
      formAction: `${this.interactionPath(tenant, handle)}${path}`,
      options,
      scriptSrc: `${new URL(this.directory.issuer(tenant)).pathname}/assets/passkey.js`,
    };
  }

  /** Absolute: after a failed POST the page's URL is the form's, where a relative action would point elsewhere. */
  interactionPath(tenant: Tenant, handle: string): string {
    return `${new URL(this.directory.issuer(tenant)).pathname}/interaction/${handle}`;
  }
}
