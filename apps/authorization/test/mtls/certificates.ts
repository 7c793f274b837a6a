import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and client certificates made at run time with the system openssl (RFC 8705 tests). */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'gatehouse-mtls-'));
  readonly caFile: string;
  readonly caPem: string;

  constructor() {
    this.caFile = join(this.dir, 'ca.pem');
    this.openssl(['req', '-x509', ...newKey(join(this.dir, 'ca.key')), '-subj', '/CN=Test Client CA', '-days', '2', '-out', this.caFile]);
    this.caPem = readFileSync(this.caFile, 'utf8');
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'serial'), '01\n');
    writeFileSync(
      join(this.dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${join(this.dir, 'index.txt')}`,
        `new_certs_dir = ${this.dir}`,
        `serial = ${join(this.dir, 'serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'copy_extensions = copy',
        '[any]',
        'commonName = supplied',
        'organizationName = optional',
      ].join('\n'),
    );
  }

  /** A certificate issued by the CA; `expired` puts its validity in 2020. */
  issue(name: string, options: { subject: string; dns?: string; expired?: boolean }): string {
    const csr = join(this.dir, `${name}.csr`);
    const certFile = join(this.dir, `${name}.pem`);
    const san = options.dns ? ['-addext', `subjectAltName=DNS:${options.dns}`] : [];
    this.openssl(['req', ...newKey(join(this.dir, `${name}.key`)), '-subj', options.subject, ...san, '-out', csr]);
    const validity = options.expired ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'] : ['-days', '1'];
    this.openssl([
      'ca',
      '-batch',
      '-notext',
      '-preserveDN',
      '-config',
      join(this.dir, 'ca.cnf'),
      '-cert',
      this.caFile,
      '-keyfile',
      join(this.dir, 'ca.key'),

      ...validity,
      '-in',
      csr,
      '-out',
      certFile,
    ]);
    return readFileSync(certFile, 'utf8');
  }

  /** A self-signed certificate and its private key. */
  selfSigned(name: string, subject: string): { pem: string; keyPem: string } {
    const keyFile = join(this.dir, `${name}.key`);
    const certFile = join(this.dir, `${name}.pem`);
    this.openssl(['req', '-x509', ...newKey(keyFile), '-subj', subject, '-days', '1', '-out', certFile]);
    return { pem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(args: string[]): void {
    execFileSync('/usr/bin/openssl', args, { stdio: 'pipe' });
  }
}

function newKey(keyFile: string): string[] {
  return ['-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}

/** The proxy header's format: URL-encoded PEM, as nginx's $ssl_client_escaped_cert. */
export function certificateHeader(pem: string): string {
  return encodeURIComponent(pem);
}
