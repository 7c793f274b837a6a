import { readFile } from 'node:fs/promises';
import { TLS_CLIENT_AUTH_SUBJECT_FIELDS } from '@gatehouse/protocol';
import { AdminProblem } from '../../errors/admin-problem.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

/** RFC 8705 §2.1.2: a flag per tls_client_auth_* member, named like it (the validator wants exactly one). */
const TLS_CLIENT_AUTH_FLAGS = TLS_CLIENT_AUTH_SUBJECT_FIELDS.map((field) => field.replaceAll('_', '-'));

export const clientCreate: CliCommand = {
  name: 'client create',
  summary: 'Register a client (application) in a tenant; prints its secret once',
  usage:
    'client create --tenant SLUG --name N [--public] [--application-type web|native] [--redirect-uri URI]... [--grant-type G]... [--scope "a b"] [--auth-method M] [--jwks-file PATH] [--post-logout-redirect-uri URI]... [--backchannel-logout-uri URI] [--no-refresh-rotation] [--dpop-bound] [--resource-server-for API]... [--require-par] [--require-signed-request-object] [--request-object-alg ALG] [--tls-client-auth-subject-dn DN | --tls-client-auth-san-dns NAME | --tls-client-auth-san-uri URI | --tls-client-auth-san-ip IP | --tls-client-auth-san-email EMAIL] [--certificate-bound] [--authorization-details-type TYPE]...',
  options: {
    tenant: { type: 'string' },
    name: { type: 'string' },
    public: { type: 'boolean' },
    'application-type': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
    scope: { type: 'string' },
    'auth-method': { type: 'string' },
    'jwks-file': { type: 'string' },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'backchannel-logout-uri': { type: 'string' },
    'no-refresh-rotation': { type: 'boolean' },
    'dpop-bound': { type: 'boolean' },
    'resource-server-for': { type: 'string', multiple: true },
    'require-par': { type: 'boolean' },
    'require-signed-request-object': { type: 'boolean' },
    'request-object-alg': { type: 'string' },
    ...Object.fromEntries(TLS_CLIENT_AUTH_FLAGS.map((flag) => [flag, { type: 'string' }])),
    'certificate-bound': { type: 'boolean' },
    'authorization-details-type': { type: 'string', multiple: true },
  },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    const name = values['name'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof name !== 'string') {
      throw new UsageError('client create needs --tenant and --name');
    }
    const jwksFile = values['jwks-file'] as string | undefined;
    const { client, clientSecret } = await services.clients.create({
      tenant,
      name,
      public: values['public'] === true,
      applicationType: values['application-type'] as string | undefined,
      redirectUris: values['redirect-uri'] as string[] | undefined,
      grantTypes: values['grant-type'] as string[] | undefined,
      scope: values['scope'] as string | undefined,
      authMethod: values['auth-method'] as string | undefined,
      jwks: jwksFile === undefined ? undefined : await readJwksFile(jwksFile),
      postLogoutRedirectUris: values['post-logout-redirect-uri'] as string[] | undefined,
      backchannelLogoutUri: values['backchannel-logout-uri'] as string | undefined,
      rotateRefreshTokens: values['no-refresh-rotation'] === true ? false : undefined,
      dpopBoundAccessTokens: values['dpop-bound'] === true ? true : undefined,
      resourceServerFor: values['resource-server-for'] as string[] | undefined,
      requirePushedAuthorizationRequests: values['require-par'] === true ? true : undefined,
      requireSignedRequestObject: values['require-signed-request-object'] === true ? true : undefined,
      requestObjectSigningAlg: values['request-object-alg'] as string | undefined,
      mutualTls: mutualTlsOf(values),
      authorizationDetailsTypes: values['authorization-details-type'] as string[] | undefined,
    });
    const text = [`Created client ${client.name} in tenant ${tenant}`, `client_id:     ${client.clientId}`];
    if (clientSecret) text.push(`client_secret: ${clientSecret}   (shown once; store it now)`);
    output.result(
      clientSecret ? { client_id: client.clientId, client_secret: clientSecret } : { client_id: client.clientId },
      text.join('\n'),
    );
  },
};

function mutualTlsOf(values: Record<string, unknown>): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const [index, flag] of TLS_CLIENT_AUTH_FLAGS.entries())
    if (typeof values[flag] === 'string') members[TLS_CLIENT_AUTH_SUBJECT_FIELDS[index]!] = values[flag];
  if (values['certificate-bound'] === true) members['tls_client_certificate_bound_access_tokens'] = true;
  return members;
}

async function readJwksFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new AdminProblem('validation_failed', `cannot read --jwks-file ${path}`, 'jwks');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminProblem('validation_failed', `--jwks-file ${path} is not JSON`, 'jwks');
  }
}
