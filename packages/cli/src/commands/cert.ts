/**
 * `tessera cert …`: certificate authorities and certificates for every
 * Tessera identity (DESIGN section 2), implemented by @tessera/launcher.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import {
  DEFAULT_CA_DAYS,
  DEFAULT_CRL_DAYS,
  DEFAULT_LEAF_DAYS,
  REVOCATION_REASONS,
  createClusterCa,
  createTenantCa,
  issueCertificate,
  loadCa,
  renewCertificate,
  revoke,
  writeCrl,
} from '@tessera/launcher';
import type { Identity, IssuedCertificate, RevocationReason } from '@tessera/launcher';
import type { CliIo } from '../io.js';
import { collect, parseDays } from '../options.js';
import { parseOutputFormat, printResult } from '../output.js';

interface Context {
  readonly io: CliIo;
}

function outputOf(cmd: Command): ReturnType<typeof parseOutputFormat> {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

interface LeafOptions {
  ca: string;
  out: string;
  days?: number;
  basename?: string;
  force?: boolean;
  dns?: string[];
  ip?: string[];
}

function leafResult(issued: IssuedCertificate): Record<string, unknown> {
  return {
    identity: issued.spiffeId,
    serial: issued.serial,
    notAfter: issued.notAfter,
    dnsNames: issued.dnsNames,
    ipAddresses: issued.ipAddresses,
    certFile: issued.certFile,
    keyFile: issued.keyFile,
    caCertFile: issued.caCertFile,
    sha256: issued.sha256,
  };
}

/** Adds one `create-<kind>` command issuing a leaf certificate. */
function leafCommand(
  parent: Command,
  ctx: Context,
  spec: {
    readonly name: string;
    readonly summary: string;
    readonly caHelp: string;
    readonly server: boolean;
    readonly idOptions: readonly { flags: string; help: string }[];
    readonly identity: (opts: Record<string, string>) => Identity;
    readonly examples: readonly string[];
  },
): void {
  const cmd = parent.command(spec.name).description(spec.summary).requiredOption('--ca <dir>', spec.caHelp);
  for (const o of spec.idOptions) cmd.requiredOption(o.flags, o.help);
  cmd
    .requiredOption('--out <dir>', 'directory to write <name>.crt and <name>.key (0600) into')
    .option('--basename <name>', 'file base name (default derived from the identity, e.g. node-n1)')
    .option('--days <n>', `lifetime in days (default ${DEFAULT_LEAF_DAYS})`, parseDays)
    .option('--force', 'replace existing files');
  if (spec.server) {
    cmd
      .option('--dns <name>', 'extra DNS name (repeatable; localhost is always included)', collect)
      .option('--ip <address>', 'extra IP address (repeatable; 127.0.0.1 is always included)', collect);
  }
  cmd.addHelpText('after', examples(spec.examples)).action(async (opts: LeafOptions & Record<string, string>, command: Command) => {
    const issued = await issueCertificate({
      caDir: opts.ca,
      outDir: opts.out,
      identity: spec.identity(opts),
      ...(opts.basename !== undefined ? { baseName: opts.basename } : {}),
      ...(opts.days !== undefined ? { days: opts.days } : {}),
      ...(opts.dns !== undefined ? { dnsNames: opts.dns } : {}),
      ...(opts.ip !== undefined ? { ipAddresses: opts.ip } : {}),
      force: opts.force === true,
    });
    printResult(ctx.io, outputOf(command), `issued ${issued.kind} certificate`, leafResult(issued));
  });
}

interface CaOptions {
  dir: string;
  trustDomain: string;
  tenant?: string;
  days?: number;
  crlDays?: number;
  force?: boolean;
}

function caOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--dir <dir>', 'directory for ca.crt, ca.key (0600), ca.crl and ca.json (created 0700)')
    .requiredOption('--trust-domain <domain>', 'SPIFFE trust domain of the cluster, e.g. prod.example')
    .option('--days <n>', `CA lifetime in days (default ${DEFAULT_CA_DAYS})`, parseDays)
    .option('--crl-days <n>', `lifetime of each CRL in days (default ${DEFAULT_CRL_DAYS})`, parseDays)
    .option('--force', 'replace an existing CA (everything it issued stops being trusted)');
}

export function registerCertCommands(program: Command, ctx: Context): Command {
  const cert = program
    .command('cert')
    .description('certificate authorities and certificates (EC P-256, SPIFFE identities)')
    .addHelpText(
      'after',
      examples([
        'tessera cert create-ca --dir pki/cluster-ca --trust-domain prod.example',
        'tessera cert create-node --ca pki/cluster-ca --id n1 --out pki/n1',
        'tessera cert create-tenant-ca --tenant acme --dir acme-pki/ca --trust-domain prod.example',
      ]),
    );

  caOptions(cert.command('create-ca').description('create the cluster CA (signs nodes, key managers and cluster admins, never tenants)'))
    .addHelpText('after', examples(['tessera cert create-ca --dir pki/cluster-ca --trust-domain prod.example']))
    .action(async (opts: CaOptions, command: Command) => {
      const ca = await createClusterCa({
        dir: opts.dir,
        trustDomain: opts.trustDomain,
        ...(opts.days !== undefined ? { days: opts.days } : {}),
        ...(opts.crlDays !== undefined ? { crlDays: opts.crlDays } : {}),
        force: opts.force === true,
      });
      printResult(ctx.io, outputOf(command), 'created cluster CA', { ...ca });
    });

  caOptions(
    cert
      .command('create-tenant-ca')
      .description('create a tenant\'s own CA, run by the tenant in a directory it owns; register only ca.crt and ca.crl with the cluster')
      .requiredOption('--tenant <id>', 'tenant id (1-63 characters of [a-z0-9-])'),
  )
    .addHelpText('after', examples(['tessera cert create-tenant-ca --tenant acme --dir ~/acme-pki/ca --trust-domain prod.example']))
    .action(async (opts: CaOptions, command: Command) => {
      const ca = await createTenantCa({
        dir: opts.dir,
        trustDomain: opts.trustDomain,
        tenant: opts.tenant ?? '',
        ...(opts.days !== undefined ? { days: opts.days } : {}),
        ...(opts.crlDays !== undefined ? { crlDays: opts.crlDays } : {}),
        force: opts.force === true,
      });
      printResult(ctx.io, outputOf(command), 'created tenant CA', { ...ca });
    });

  const clusterCaHelp = 'cluster CA directory';
  const tenantCaHelp = 'the tenant\'s own CA directory';
  leafCommand(cert, ctx, {
    name: 'create-node',
    summary: 'issue a storage node certificate (spiffe://TD/node/ID, server and client auth)',
    caHelp: clusterCaHelp,
    server: true,
    idOptions: [{ flags: '--id <id>', help: 'node id (never reused)' }],
    identity: (o) => ({ kind: 'node', id: o['id'] ?? '' }),
    examples: ['tessera cert create-node --ca pki/cluster-ca --id n1 --out pki/n1 --ip 10.0.0.11'],
  });
  leafCommand(cert, ctx, {
    name: 'create-keymanager',
    summary: 'issue a key manager certificate (spiffe://TD/keymanager/ID, server and client auth)',
    caHelp: clusterCaHelp,
    server: true,
    idOptions: [{ flags: '--id <id>', help: 'key manager id (never reused)' }],
    identity: (o) => ({ kind: 'keymanager', id: o['id'] ?? '' }),
    examples: ['tessera cert create-keymanager --ca pki/cluster-ca --id km1 --out pki/km1'],
  });
  leafCommand(cert, ctx, {
    name: 'create-admin',
    summary: 'issue a cluster admin certificate (spiffe://TD/admin/NAME, client auth)',
    caHelp: clusterCaHelp,
    server: false,
    idOptions: [{ flags: '--name <name>', help: 'admin name' }],
    identity: (o) => ({ kind: 'admin', name: o['name'] ?? '' }),
    examples: ['tessera cert create-admin --ca pki/cluster-ca --name alice --out ~/.tessera'],
  });
  leafCommand(cert, ctx, {
    name: 'create-tenant-admin',
    summary: 'issue a tenant admin certificate from the tenant\'s CA (spiffe://TD/tenant/T/admin/NAME)',
    caHelp: tenantCaHelp,
    server: false,
    idOptions: [
      { flags: '--tenant <id>', help: 'tenant id' },
      { flags: '--name <name>', help: 'admin name' },
    ],
    identity: (o) => ({ kind: 'tenant-admin', tenant: o['tenant'] ?? '', name: o['name'] ?? '' }),
    examples: ['tessera cert create-tenant-admin --ca ~/acme-pki/ca --tenant acme --name bob --out ~/acme-pki/bob'],
  });
  leafCommand(cert, ctx, {
    name: 'create-client',
    summary: 'issue a tenant client certificate from the tenant\'s CA (spiffe://TD/tenant/T/client/NAME)',
    caHelp: tenantCaHelp,
    server: false,
    idOptions: [
      { flags: '--tenant <id>', help: 'tenant id' },
      { flags: '--name <name>', help: 'client name' },
    ],
    identity: (o) => ({ kind: 'tenant-client', tenant: o['tenant'] ?? '', name: o['name'] ?? '' }),
    examples: ['tessera cert create-client --ca ~/acme-pki/ca --tenant acme --name backup --out ./certs'],
  });

  cert
    .command('renew')
    .description('re-issue a certificate for the same identity and names, replacing it in place (new key unless --reuse-key)')
    .requiredOption('--ca <dir>', 'CA directory that issued the certificate')
    .requiredOption('--cert <file>', 'certificate to renew')
    .option('--key <file>', 'its key (default: the certificate path with .key)')
    .option('--reuse-key', 'keep the existing key')
    .option('--days <n>', `lifetime in days (default ${DEFAULT_LEAF_DAYS})`, parseDays)
    .addHelpText('after', examples(['tessera cert renew --ca pki/cluster-ca --cert pki/n1/node-n1.crt']))
    .action(async (opts: { ca: string; cert: string; key?: string; reuseKey?: boolean; days?: number }, command: Command) => {
      const issued = await renewCertificate({
        caDir: opts.ca,
        certFile: opts.cert,
        ...(opts.key !== undefined ? { keyFile: opts.key } : {}),
        reuseKey: opts.reuseKey === true,
        ...(opts.days !== undefined ? { days: opts.days } : {}),
      });
      printResult(ctx.io, outputOf(command), `renewed ${issued.kind} certificate`, leafResult(issued));
    });

  cert
    .command('revoke')
    .description('revoke a certificate: record its serial in the CA state and write a new CRL (distribute it; processes reload it)')
    .requiredOption('--ca <dir>', 'CA directory that issued the certificate')
    .option('--cert <file>', 'certificate to revoke')
    .option('--serial <hex>', 'serial number to revoke (when the certificate file is gone)')
    .addOption(new Option('--reason <reason>', 'revocation reason').choices([...REVOCATION_REASONS]).default('unspecified'))
    .addHelpText(
      'after',
      examples([
        'tessera cert revoke --ca pki/cluster-ca --cert pki/n3/node-n3.crt --reason keyCompromise',
        'tessera cert revoke --ca pki/cluster-ca --serial 4f2a9c...',
      ]),
    )
    .action(async (opts: { ca: string; cert?: string; serial?: string; reason: RevocationReason }, command: Command) => {
      if ((opts.cert === undefined) === (opts.serial === undefined)) {
        command.error('error: give exactly one of --cert or --serial', { code: 'tessera.usage' });
      }
      const result = await revoke(await loadCa(opts.ca), {
        ...(opts.cert !== undefined ? { certFile: opts.cert } : {}),
        ...(opts.serial !== undefined ? { serial: opts.serial } : {}),
        reason: opts.reason,
      });
      printResult(ctx.io, outputOf(command), result.newlyRevoked ? 'revoked' : 'already revoked; CRL rewritten', { ...result });
    });

  cert
    .command('crl')
    .description('write a fresh CRL for a CA (do it before the current one\'s next update, or peers refuse everyone)')
    .requiredOption('--ca <dir>', 'CA directory')
    .option('--days <n>', 'lifetime of the CRL in days (default: the CA\'s setting)', parseDays)
    .addHelpText('after', examples(['tessera cert crl --ca pki/cluster-ca --days 30']))
    .action(async (opts: { ca: string; days?: number }, command: Command) => {
      const result = await writeCrl(await loadCa(opts.ca), opts.days !== undefined ? { days: opts.days } : {});
      printResult(ctx.io, outputOf(command), 'wrote CRL', { ...result });
    });

  return cert;
}
