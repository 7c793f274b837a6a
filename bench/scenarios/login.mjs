// Sign-ins per second through the real login form (argon2id), beside what bounds them: argon2id
// verifications per second of @node-rs/argon2 with the platform's parameters.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verify } from '@node-rs/argon2';
import { browserUser, REDIRECT_URI, USER } from '../lib/fixture.mjs';
import { startGatehouse } from '../lib/gatehouse.mjs';
import { CookieJar, createHttp } from '../lib/http.mjs';
import { interleave, LOAD_COLUMNS, loadRows, loop, withTargets } from '../lib/load.mjs';
import { authorizeUrl, browse, pkce } from '../lib/oauth.mjs';

export const name = 'login';
export const description = 'sign-ins/s through the login form (argon2id), beside argon2id verifications/s of @node-rs/argon2';

/** The hash the platform would store (libs/tokens hashPassword): its parameters are in the PHC string. */
async function platformHash(root) {
  const { hashPassword } = await import(pathToFileURL(join(root, 'dist/libs/tokens/src/index.js')).href);
  return hashPassword(USER.password);
}

/** One browser per chain, one person per browser: it keeps its own cookies (device binding) but signs in afresh every time. */
async function signInOnce(http, t, chain) {
  const { challenge } = pkce();
  await browse(http, authorizeUrl(t, t.web, { scope: 'openid', challenge, state: 'login' }), chain.jar, chain.user);
  chain.jar = chain.jar.filtered((cookie) => !cookie.includes('session'));
}

export async function run(ctx) {
  const http = createHttp(ctx.connections);
  const hash = await platformHash(ctx.root);
  const parameters = hash.split('$')[3];
  const argon2 = {
    key: 'limit',
    label: `@node-rs/argon2 verify (argon2id ${parameters})`,
    servingPid: undefined,
    stop: async () => {},
  };
  try {
    return await withTargets([async () => argon2, () => startGatehouse(ctx, { browserUsers: ctx.connections })], async ([, gatehouse]) => {
      if (!(await verify(hash, USER.password))) throw new Error('argon2 verify refused the right password');
      await signInOnce(http, gatehouse, { jar: new CookieJar(), user: USER });
      const results = await interleave(
        ctx,
        [argon2, gatehouse],
        (t, seconds) =>
          t === argon2
            ? loop({ connections: ctx.connections, seconds, step: () => verify(hash, USER.password) })
            : loop({
                connections: ctx.connections,
                seconds,
                setup: async (index) => ({ jar: new CookieJar(), user: browserUser(index) }),
                step: (chain) => signInOnce(http, t, chain),
              }),
        { what: 'login' },
      );
      return {
        title: 'sign-ins per second through the login form (argon2id)',
        columns: LOAD_COLUMNS.map((c) => (c === 'req/s (median)' ? 'per second (median)' : c)),
        rows: loadRows(results),
        notes: [
          `Gatehouse: ${ctx.connections} concurrent browsers (a Node keep-alive HTTP client), each signing its own account in ` +
            '(one account for all of them measures its row lock instead: a successful sign-in updates the user in its transaction), keeping its cookies but ' +
            'signing in afresh every time: `GET {authorize}` without a session → the login page (a form with its CSRF token) → ' +
            `\`POST\` username and password → a redirect to ${REDIRECT_URI} with a code (first-party client: no consent page). ` +
            'One operation is that whole sign-in (three requests); the password check is argon2id, and the login is risk-scored ' +
            'and audited. The login rate limit per IP is raised for the benchmark tenant, and its velocity and credential-stuffing rules add no points (all browsers share one IP).',
          `The bound: \`verify()\` of @node-rs/argon2 on a hash made by the platform's own \`hashPassword\` (libs/tokens: ` +
            `argon2id, ${parameters}: OWASP's 19 MiB, 2 iterations, 1 lane), ${ctx.connections} at a time in the benchmark's ` +
            'process (its thread pool), no HTTP. oidc-provider has no login of its own (the application brings it), so it has no row.',
        ],
      };
    });
  } finally {
    http.close();
  }
}
