/**
 * `tessera access request|approve|deny|revoke|list` — time-bounded, scoped
 * access of a cluster admin to one tenant's data (DESIGN A2; ADR 0018),
 * through the Admin service on the nodes' client ports:
 *
 *  - a cluster admin requests (tenant, optional name prefix, read or
 *    read-write, duration, reason);
 *  - only a tenant admin of that tenant approves or denies it, and may revoke
 *    the grant before its window ends;
 *  - `list` shows pending requests and live grants (a tenant admin: all of
 *    its tenant's, with `--audit` the trail of every call made under them; a
 *    cluster admin: its own);
 *  - under an approved grant the cluster admin uses the object verbs with
 *    `--tenant T` (`tessera get --tenant T NAME`).
 *
 * Connection: the node client ports (--endpoint, TESSERA_DATA_ENDPOINT or the
 * config file's `dataEndpoints`) and the caller's certificate (--cert/--key,
 * TESSERA_CERT/TESSERA_KEY or the config file's `admin` identity).
 * `--tenant` defaults to the tenant of a tenant admin's certificate.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { certificateIdentity } from '@tessera/transport';
import {
  u64Number,
  type AccessAuditEntry__Output,
  type AccessGrant__Output,
  type AccessRequest__Output,
  type ListAccessResponse__Output,
} from '@tessera/wire';
import { activeConfig, pick } from '../config-file.js';
import { withNodeAdmin } from './node-admin.js';
import type { CliIo } from '../io.js';
import { collect, parseDuration } from '../options.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';

interface Context {
  readonly io: CliIo;
}

interface AccessOptions {
  readonly endpoint?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
  readonly tenant?: string;
}

interface RequestOptions extends AccessOptions {
  readonly prefix?: string;
  readonly mode: 'read' | 'read-write';
  readonly duration: number;
  readonly reason?: string;
}

export const ACCESS_CONNECTION_HELP = [
  '',
  'Connection: --endpoint (repeatable; host:port or ID=host:port of a node client port) or TESSERA_DATA_ENDPOINT;',
  '--cert/--key (a cluster admin, or a tenant admin) or TESSERA_CERT/TESSERA_KEY; --ca or TESSERA_CA (the cluster CA);',
  '--crl or TESSERA_CRL (default: ca.crl beside the CA file). Or a config file (its dataEndpoints and admin identity).',
].join('\n');

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${ACCESS_CONNECTION_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** A window from 1 s to 30 days, such as 90s, 30m, 8h or 2d. */
export function parseWindow(value: string): number {
  const ms = parseDuration(value);
  if (ms < 1_000 || ms > 30 * 86_400_000) throw new InvalidArgumentError('must be a duration from 1s to 30d, such as 90s, 30m, 8h or 2d');
  return ms;
}

export function parseMode(value: string): 'read' | 'read-write' {
  if (value !== 'read' && value !== 'read-write') throw new InvalidArgumentError('must be read or read-write');
  return value;
}

function withAccessConnection(cmd: Command): Command {
  return cmd
    .option('--endpoint <host:port>', 'a node client port, host:port or ID=host:port (repeatable)', collect)
    .option('--cert <file>', 'your certificate (cluster admin, or tenant admin)')
    .option('--key <file>', 'its private key')
    .option('--ca <file>', 'the cluster CA certificate (checks the nodes)')
    .option('--crl <file>', 'the cluster CA CRL');
}

async function identityOf(certFile: string): Promise<NonNullable<ReturnType<typeof certificateIdentity>>> {
  let pem: Buffer;
  try {
    pem = await readFile(certFile);
  } catch {
    throw usage(`cannot read the certificate ${certFile}`);
  }
  const identity = certificateIdentity(pem);
  if (identity === undefined) throw usage('the certificate names no Tessera identity');
  return identity;
}

/** --tenant, else the tenant of a tenant admin's certificate. */
async function tenantOf(opts: AccessOptions): Promise<string> {
  if (opts.tenant !== undefined) return opts.tenant;
  const certFile = pick(opts.cert, 'TESSERA_CERT', activeConfig().admin?.cert);
  if (certFile !== undefined) {
    const identity = await identityOf(certFile);
    if (identity.principal.kind === 'tenant-admin') return identity.principal.tenant;
  }
  throw usage('--tenant is required (it defaults to the tenant of a tenant admin certificate)');
}

const MODE_TEXT: Readonly<Record<string, string>> = { ACCESS_MODE_READ: 'read', ACCESS_MODE_READ_WRITE: 'read-write' };
const STATE_TEXT: Readonly<Record<string, string>> = {
  ACCESS_STATE_PENDING: 'pending',
  ACCESS_STATE_APPROVED: 'approved',
  ACCESS_STATE_DENIED: 'denied',
  ACCESS_STATE_EXPIRED: 'expired',
};

function when(ms: string): string {
  const n = u64Number(ms);
  return n === 0 ? '' : new Date(n).toISOString();
}

function requestRow(r: AccessRequest__Output): Record<string, unknown> {
  return {
    requestId: r.requestId,
    tenant: r.tenant,
    prefix: r.prefix === '' ? '(whole tenant)' : r.prefix,
    mode: MODE_TEXT[r.mode] ?? r.mode,
    durationS: u64Number(r.durationS),
    reason: r.reason,
    requestedBy: r.requestedBy,
    state: STATE_TEXT[r.state] ?? r.state,
    created: when(r.createdMs),
  };
}

function grantRow(g: AccessGrant__Output): Record<string, unknown> {
  return {
    grantId: g.grantId,
    requestId: g.requestId,
    tenant: g.tenant,
    prefix: g.prefix === '' ? '(whole tenant)' : g.prefix,
    mode: MODE_TEXT[g.mode] ?? g.mode,
    notBefore: when(g.notBeforeMs),
    notAfter: when(g.notAfterMs),
    approvedBy: g.approvedBy,
    state: STATE_TEXT[g.state] ?? g.state,
  };
}

function auditRow(e: AccessAuditEntry__Output): Record<string, unknown> {
  return { seq: u64Number(e.seq), time: when(e.timeMs), admin: e.admin, grantId: e.grantId, method: e.method, keyTag: e.keyTag, outcome: e.outcome };
}

export function registerAccessCommands(program: Command, ctx: Context): void {
  const access = program
    .command('access')
    .description('a cluster admin\'s time-bounded, scoped access to a tenant\'s data, approved by a tenant admin')
    .addHelpText('after', '\nA cluster admin requests; a tenant admin of that tenant approves, denies or revokes; under an approved grant the\ncluster admin uses the object verbs with --tenant (e.g. tessera get --tenant acme NAME). Every such call is audited.\n');

  withAccessConnection(
    access
      .command('request')
      .description('ask a tenant admin for access to the tenant\'s objects (cluster admin)')
      .requiredOption('--tenant <id>', 'the tenant whose data you need')
      .requiredOption('--duration <window>', 'how long the access lasts once approved, 1s to 30d (e.g. 30m, 8h)', parseWindow)
      .option('--prefix <prefix>', 'only object names starting with this (default: the whole tenant)')
      .addOption(new Option('--mode <mode>', 'read, or read-write').argParser(parseMode).default('read'))
      .option('--reason <text>', 'why, shown to the tenant admin (at most 1 KiB)'),
  )
    .addHelpText('after', examples(['tessera access request --tenant acme --prefix invoices/2026/ --duration 2h --reason "ticket 4711"', 'tessera -o json access request --tenant acme --mode read-write --duration 30m']))
    .action(async (opts: RequestOptions, cmd: Command) => {
      const format = outputOf(cmd);
      const res = await withNodeAdmin(opts, (admin) =>
        admin.call<AccessRequest__Output>((c, o, cb) =>
          c.RequestAccess(
            {
              tenant: opts.tenant ?? '',
              prefix: opts.prefix ?? '',
              mode: opts.mode === 'read' ? 'ACCESS_MODE_READ' : 'ACCESS_MODE_READ_WRITE',
              durationS: String(Math.ceil(opts.duration / 1000)),
              reason: opts.reason ?? '',
            },
            o,
            cb,
          ),
        ),
      );
      printResult(ctx.io, format, `access requested: a tenant admin of ${res.tenant} must approve request ${res.requestId}`, requestRow(res));
    });

  const decision = (verb: 'approve' | 'deny'): void => {
    withAccessConnection(
      access
        .command(verb)
        .description(verb === 'approve' ? 'approve a pending request, opening its window now (tenant admin)' : 'deny a pending request (tenant admin)')
        .argument('<request-id>', 'the request id (32 hex characters)')
        .option('--tenant <id>', 'your tenant (default: the tenant of your certificate)'),
    )
      .addHelpText('after', examples([`tessera access ${verb} 3f2a…c901`, `tessera -o json access ${verb} 3f2a…c901 --tenant acme`]))
      .action(async (requestId: string, opts: AccessOptions, cmd: Command) => {
        const format = outputOf(cmd);
        const tenant = await tenantOf(opts);
        if (verb === 'approve') {
          const grant = await withNodeAdmin(opts, (admin) => admin.call<AccessGrant__Output>((c, o, cb) => c.ApproveAccess({ tenant, requestId }, o, cb)));
          printResult(ctx.io, format, `access approved: grant ${grant.grantId}`, grantRow(grant));
        } else {
          const request = await withNodeAdmin(opts, (admin) => admin.call<AccessRequest__Output>((c, o, cb) => c.DenyAccess({ tenant, requestId }, o, cb)));
          printResult(ctx.io, format, 'access denied', requestRow(request));
        }
      });
  };
  decision('approve');
  decision('deny');

  withAccessConnection(
    access
      .command('revoke')
      .description('end a grant before its window does (tenant admin)')
      .argument('<grant-id>', 'the grant id (32 hex characters)')
      .option('--tenant <id>', 'your tenant (default: the tenant of your certificate)'),
  )
    .addHelpText('after', examples(['tessera access revoke 9c41…77d0']))
    .action(async (grantId: string, opts: AccessOptions, cmd: Command) => {
      const format = outputOf(cmd);
      const tenant = await tenantOf(opts);
      const grant = await withNodeAdmin(opts, (admin) => admin.call<AccessGrant__Output>((c, o, cb) => c.RevokeGrant({ tenant, grantId }, o, cb)));
      printResult(ctx.io, format, 'grant revoked', grantRow(grant));
    });

  withAccessConnection(
    access
      .command('list')
      .description('pending requests and live grants of a tenant (a cluster admin sees its own)')
      .option('--tenant <id>', 'the tenant (default: the tenant of your certificate)')
      .option('--audit', 'also the trail of every call made under grants (tenant admins)'),
  )
    .addHelpText('after', examples(['tessera access list', 'tessera access list --audit', 'tessera -o json access list --tenant acme']))
    .action(async (opts: AccessOptions & { readonly audit?: boolean }, cmd: Command) => {
      const format = outputOf(cmd);
      const tenant = await tenantOf(opts);
      const res = await withNodeAdmin(opts, (admin) => admin.call<ListAccessResponse__Output>((c, o, cb) => c.ListAccess({ tenant }, o, cb)));
      const requests = res.requests.map(requestRow);
      const grants = res.grants.map(grantRow);
      const audit = res.audit.map(auditRow);
      if (format === 'json') {
        ctx.io.stdout.write(JSON.stringify({ requests, grants, ...(opts.audit === true ? { audit } : {}) }, null, 2) + '\n');
        return;
      }
      printRows(ctx.io, format, `access requests of ${tenant}`, 'requests', requests, ['requestId', 'prefix', 'mode', 'durationS', 'requestedBy', 'state']);
      printRows(ctx.io, format, `grants of ${tenant}`, 'grants', grants, ['grantId', 'prefix', 'mode', 'notAfter', 'approvedBy']);
      if (opts.audit === true) printRows(ctx.io, format, `calls under grants on ${tenant}`, 'audit', audit, ['seq', 'time', 'admin', 'method', 'keyTag', 'outcome']);
    });
}
