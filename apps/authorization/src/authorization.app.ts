import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, exposeMetrics, GatehouseLogger, HealthModule, tlsCertificateReadiness } from '@gatehouse/observability';
import { signingKeysReadiness, type Infrastructure } from '@gatehouse/persistence';
import { AuthorizeController } from './endpoints/authorize/authorize.controller.js';
import { AuthorizeService } from './endpoints/authorize/authorize.service.js';
import { HomeController } from './endpoints/home/home.controller.js';
import { DiscoveryController } from './endpoints/discovery/discovery.controller.js';
import { DiscoveryService } from './endpoints/discovery/discovery.service.js';
import { EndSessionController } from './endpoints/end-session/end-session.controller.js';
import { EndSessionService } from './endpoints/end-session/end-session.service.js';
import { JwksController } from './endpoints/jwks/jwks.controller.js';
import { ClientAuthenticator } from './endpoints/token/client-authenticator.js';
import { AuthorizationCodeGrant } from './endpoints/token/grants/authorization-code.grant.js';
import { TokenController } from './endpoints/token/token.controller.js';
import { TokenMinter } from './endpoints/token/token-minter.js';
import { TokenDpop } from './endpoints/token/token-dpop.js';
import { DpopVerifier } from './dpop/dpop-verifier.js';
import { TokenService } from './endpoints/token/token.service.js';
import { IntrospectionController } from './endpoints/introspection/introspection.controller.js';
import { IntrospectionService } from './endpoints/introspection/introspection.service.js';
import { PushedRequestController } from './endpoints/par/par.controller.js';
import { PushedRequestService } from './endpoints/par/par.service.js';
import { TokenInspector } from './endpoints/introspection/token-inspector.js';
import { RevocationController } from './endpoints/revocation/revocation.controller.js';
import { RevocationService } from './endpoints/revocation/revocation.service.js';
import { ClientCredentialsGrant } from './endpoints/token/grants/client-credentials.grant.js';
import { DeviceCodeGrant } from './endpoints/token/grants/device-code.grant.js';
import { UserTokenIssuer } from './endpoints/token/user-token-issuer.js';
import { GrantHandlers } from './endpoints/token/grants/grant-handlers.js';
import { DeviceAuthorizationController } from './endpoints/device/device-authorization.controller.js';
import { DeviceAuthorizationService } from './endpoints/device/device-authorization.service.js';
import { DeviceVerificationController } from './endpoints/device/device-verification.controller.js';
import { DeviceVerificationService } from './endpoints/device/device-verification.service.js';
import { RefreshTokenGrant } from './endpoints/token/grants/refresh-token.grant.js';
import { RefreshTokenIssuer } from './endpoints/token/refresh-token-issuer.js';
import { RevocationNotifier } from './endpoints/token/revocation-notifier.js';
import { RegistrationController } from './endpoints/registration/registration.controller.js';
import { RegistrationService } from './endpoints/registration/registration.service.js';
import { UserinfoController } from './endpoints/userinfo/userinfo.controller.js';
import { UserinfoService } from './endpoints/userinfo/userinfo.service.js';
import { OAuthJsonExceptionFilter } from './http/oauth-json.filter.js';
import { AuthorizationFlow } from './interaction/authorization-flow.js';
import { InteractionController } from './interaction/interaction.controller.js';
import { InteractionPages } from './interaction/interaction-pages.js';
import { SecondFactorStep } from './interaction/second-factor-step.js';
import { SignInSession } from './interaction/sign-in-session.js';
import { PasskeyCeremonies } from './passkeys/passkey-ceremonies.js';
import { AccountSecurityController } from './account/account-security.controller.js';
import { AccountSecurityService } from './account/account-security.service.js';
import { PasskeyInteractionController } from './passkeys/passkey-interaction.controller.js';
import { PasskeyInteractionService } from './passkeys/passkey-interaction.service.js';
import { PasskeyScriptController } from './passkeys/passkey-script.controller.js';
import { InteractionService } from './interaction/interaction.service.js';
import { AuthorizationRuntime } from './runtime/authorization-runtime.js';
import { runtimeProviders } from './runtime/runtime-providers.js';

/** The OAuth 2.1 / OpenID Connect server. */
export async function createAuthorizationApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
  now?: () => Date,
): Promise<NestFastifyApplication> {
  const runtime = new AuthorizationRuntime(config, infrastructure, logger, now);

  @Module({
    imports: [
      HealthModule.forChecks([
        ...infrastructure.readinessChecks,
        signingKeysReadiness(infrastructure.persistence.repositories.signingKeys, { warnDays: config.health.keyExpiryWarnDays, now }),
        // Issue 14: the certificate of the TLS listener the app terminates itself (MTLS_PORT).
        ...(config.mtls.listener
          ? [
              tlsCertificateReadiness('mtls-listener-certificate', config.mtls.listener.certFile, {
                warnDays: config.health.keyExpiryWarnDays,
                now,
              }),
            ]
          : []),
      ]),
    ],
    controllers: [
      HomeController,
      DiscoveryController,
      JwksController,
      AuthorizeController,
      InteractionController,
      PasskeyInteractionController,
      PasskeyScriptController,
      AccountSecurityController,
      TokenController,
      UserinfoController,
      IntrospectionController,
      PushedRequestController,
      DeviceAuthorizationController,
      DeviceVerificationController,
      RevocationController,
      RegistrationController,
      EndSessionController,
    ],
    providers: [
      ...runtimeProviders(runtime),
      { provide: GatehouseLogger, useValue: logger },
      OAuthJsonExceptionFilter,
      DiscoveryService,
      AuthorizeService,
      AuthorizationFlow,
      InteractionPages,
      SignInSession,
      SecondFactorStep,
      PasskeyCeremonies,
      InteractionService,
      PasskeyInteractionService,
      AccountSecurityService,
      ClientAuthenticator,
      TokenMinter,
      TokenDpop,
      DpopVerifier,
      AuthorizationCodeGrant,
      RefreshTokenGrant,
      ClientCredentialsGrant,
      DeviceCodeGrant,
      GrantHandlers,
      UserTokenIssuer,
      DeviceAuthorizationService,
      DeviceVerificationService,
      RefreshTokenIssuer,
      RevocationNotifier,
      TokenInspector,
      IntrospectionService,
      PushedRequestService,
      RevocationService,
      RegistrationService,
      TokenService,
      UserinfoService,
      EndSessionService,
    ],
  })
  class AuthorizationModule implements OnApplicationBootstrap, OnApplicationShutdown {
    private stopWatching: (() => Promise<void>) | null = null;

    async onApplicationBootstrap(): Promise<void> {
      this.stopWatching = await runtime.watchConfigChanges();
    }

    async onApplicationShutdown(): Promise<void> {
      await this.stopWatching?.();
    }
  }
  const app = await createHttpApp(AuthorizationModule, config, logger);
  // Also for what fails before a route runs (an unparseable body): OAuth JSON, never a framework default.
  app.useGlobalFilters(app.get(OAuthJsonExceptionFilter));
  exposeMetrics(app, runtime.metrics, config.metrics);
  return app;
}
