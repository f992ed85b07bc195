/**
 * `tessera tenant …` — the key-manager side of tenants: registration (a
 * cluster admin, with the tenant's own CA certificate and CRL), the tenant's
 * keys, rotation and crypto-shred (tenant admins of that tenant; a cluster
 * admin may request a shred, which a tenant admin must approve), and
 * disable/enable of a tenant's data access (a cluster admin).
 *
 * `--tenant` defaults to the tenant of a tenant admin's certificate.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { stateFromWire, tenantFromWire, type KeyManagerClient, type TenantView } from '@tessera/keymanager';
import type { ShredStatus__Output } from '@tessera/wire';
import { u64Number } from '@tessera/wire';
import type { CliIo } from '../io.js';
import { parseDuration } from '../options.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { CONNECTION_ENV_HELP, ownTenant, withClient, withConnection, type ConnectionOptions } from './connection.js';

interface Context {
  readonly io: CliIo;
}

interface TenantOption extends ConnectionOptions {
  readonly tenant?: string;
}

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${CONNECTION_ENV_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

async function tenantOf(opts: TenantOption): Promise<string> {
  const tenant = opts.tenant ?? (await ownTenant(opts));
  if (tenant === undefined) throw usage('--tenant is required (it defaults to the tenant of a tenant admin certificate)');
  return tenant;
}

function when(ms: number): string {
  return ms === 0 ? '' : new Date(ms).toISOString();
}

function row(t: TenantView): Record<string, unknown> {
  return { id: t.id, policy: t.policy, state: t.state, disabled: t.disabled, epoch: t.currentEpoch, kekVersion: t.kekVersion, shredAt: when(t.shredExecuteAtMs) };
}

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw usage(`cannot read the ${what} file ${file}`);
  }
}

function shredRow(s: ShredStatus__Output): Record<string, unknown> {
  return { tenant: s.tenant, state: stateFromWire(s.state), executeAt: when(u64Number(s.executeAtMs)) };
}

async function currentTenant(client: KeyManagerClient, tenant: string): Promise<TenantView> {
  return tenantFromWire(await client.call('GetTenant', { tenant }, { idempotent: true }));
}

export function registerTenantCommands(program: Command, ctx: Context): Command {
  const tenant = program
    .command('tenant')
    .description("tenants and their keys, on the key managers (the cluster's authority for tenants)")
    .addHelpText('after', examples(['tessera tenant create --id acme --policy isolated --ca acme-ca.crt --crl acme-ca.crl', 'tessera tenant rotate --kek --tenant acme', 'tessera tenant shred --schedule --delay 24h']));

  withConnection(
    tenant
      .command('create')
      .description("register a tenant (cluster admin): id, policy fixed for life, the tenant's own CA certificate and CRL")
      .requiredOption('--id <tenant>', 'tenant id: 1-63 characters of [a-z0-9-], never reused')
      .requiredOption('--policy <policy>', 'shared (cross-tenant dedup) or isolated (crypto-shred removes everything)')
      .requiredOption('--ca <file>', "the tenant CA's certificate (PEM)")
      .requiredOption('--crl <file>', "the tenant CA's CRL (PEM)"),
    { clusterCaFlags: true },
  )
    .addHelpText('after', `${examples(['tessera tenant create --id acme --policy isolated --ca acme-ca.crt --crl acme-ca.crl --cert admin.crt --key admin.key --cluster-ca ca.crt'])}(Here --ca/--crl are the tenant's CA; the cluster CA is --cluster-ca/--cluster-crl or TESSERA_CA/TESSERA_CRL.)\n`)
    .action(async (opts: ConnectionOptions & { id: string; policy: string; ca: string; crl: string; clusterCa?: string; clusterCrl?: string }, cmd: Command) => {
      if (opts.policy !== 'shared' && opts.policy !== 'isolated') throw usage('--policy must be shared or isolated');
      const caPem = await readPem(opts.ca, 'tenant CA certificate');
      const crlPem = await readPem(opts.crl, 'tenant CA CRL');
      const connection: ConnectionOptions = {
        ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
        ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
        ...(opts.key !== undefined ? { key: opts.key } : {}),
        ...(opts.clusterCa !== undefined ? { ca: opts.clusterCa } : {}),
        ...(opts.clusterCrl !== undefined ? { crl: opts.clusterCrl } : {}),
      };
      await withClient(connection, async (client) => {
        const t = tenantFromWire(
          await client.call('CreateTenant', { id: opts.id, policy: opts.policy === 'shared' ? 'TENANT_POLICY_SHARED' : 'TENANT_POLICY_ISOLATED', caCertificatePem: caPem, caCrlPem: crlPem }, { idempotent: true }),
        );
        printResult(ctx.io, outputOf(cmd), 'tenant created', row(t));
      });
    });

  withConnection(tenant.command('list').description('every registered tenant (cluster admin)'))
    .addHelpText('after', examples(['tessera tenant list', 'tessera -o json tenant list']))
    .action(async (opts: ConnectionOptions, cmd: Command) =>
      withClient(opts, async (client) => {
        const res = await client.call('ListTenants', {}, { idempotent: true });
        printRows(ctx.io, outputOf(cmd), 'tenants', 'tenants', res.tenants.map(tenantFromWire).map(row), ['id', 'policy', 'state', 'disabled', 'epoch', 'kekVersion', 'shredAt']);
      }),
    );

  withConnection(tenant.command('show').description('one tenant (cluster admin, or its own tenant admin)').option('--tenant <tenant>', 'tenant id'))
    .addHelpText('after', examples(['tessera tenant show --tenant acme']))
    .action(async (opts: TenantOption, cmd: Command) => {
      const id = await tenantOf(opts);
      await withClient(opts, async (client) => printResult(ctx.io, outputOf(cmd), `tenant ${id}`, row(await currentTenant(client, id))));
    });

  for (const [verb, method, done, help] of [
    ['disable', 'DisableTenant', 'tenant disabled', "stop the tenant's data access on every storage node (cluster admin; keys, rotation and shred still work; audited)"],
    ['enable', 'EnableTenant', 'tenant enabled', "restore a disabled tenant's data access (cluster admin; audited)"],
  ] as const) {
    withConnection(tenant.command(verb).description(help).requiredOption('--tenant <tenant>', 'tenant id'))
      .addHelpText('after', examples([`tessera tenant ${verb} --tenant acme`]))
      .action(async (opts: TenantOption & { tenant: string }, cmd: Command) =>
        withClient(opts, async (client) => printResult(ctx.io, outputOf(cmd), done, row(tenantFromWire(await client.call(method, { tenant: opts.tenant }, { idempotent: true }))))),
      );
  }

  withConnection(tenant.command('create-keys').description("create the tenant's KEK, first data key and index key (its tenant admin)").option('--tenant <tenant>', 'tenant id'))
    .addHelpText('after', examples(['tessera tenant create-keys --cert acme-admin.crt --key acme-admin.key']))
    .action(async (opts: TenantOption, cmd: Command) => {
      const id = await tenantOf(opts);
      await withClient(opts, async (client) => printResult(ctx.io, outputOf(cmd), 'tenant keys created', row(tenantFromWire(await client.call('CreateTenantKeys', { tenant: id })))));
    });

  withConnection(
    tenant
      .command('rotate')
      .description('rotate the tenant KEK (re-wraps every data key and the index key; no data re-encrypted) or start a new tenant epoch (its tenant admin)')
      .option('--tenant <tenant>', 'tenant id')
      .option('--kek', 'rotate the KEK')
      .option('--epoch', 'start a new tenant epoch (new writes use a new data key)'),
  )
    .addHelpText('after', examples(['tessera tenant rotate --kek', 'tessera tenant rotate --epoch --tenant acme']))
    .action(async (opts: TenantOption & { kek?: boolean; epoch?: boolean }, cmd: Command) => {
      if ((opts.kek === true) === (opts.epoch === true)) throw usage('give exactly one of --kek and --epoch');
      const id = await tenantOf(opts);
      await withClient(opts, async (client) => {
        const before = await currentTenant(client, id);
        // The version we saw goes with the request, so a retry after an unknown outcome never rotates twice.
        const after = opts.kek === true
          ? await client.call('RotateKek', { tenant: id, expectedKekVersion: before.kekVersion }, { idempotent: true })
          : await client.call('NewTenantEpoch', { tenant: id, expectedEpoch: before.currentEpoch }, { idempotent: true });
        printResult(ctx.io, outputOf(cmd), opts.kek === true ? 'tenant KEK rotated' : 'tenant epoch started', row(tenantFromWire(after)));
      });
    });

  withConnection(
    tenant
      .command('shred')
      .description("crypto-shred a tenant: --schedule (a tenant admin's request is scheduled; a cluster admin's awaits approval), --approve, --cancel (tenant admins)")
      .option('--tenant <tenant>', 'tenant id')
      .option('--schedule', 'request the shred')
      .option('--delay <duration>', 'with --schedule: delay before it executes (default 24h; 0 allowed)', parseDuration)
      .option('--approve', "approve a cluster admin's request (tenant admin)")
      .option('--cancel', 'cancel a requested or scheduled shred (tenant admin)'),
  )
    .addHelpText('after', examples(['tessera tenant shred --schedule --delay 24h', 'tessera tenant shred --approve --tenant acme', 'tessera tenant shred --cancel']))
    .action(async (opts: TenantOption & { schedule?: boolean; approve?: boolean; cancel?: boolean; delay?: number }, cmd: Command) => {
      const chosen = [opts.schedule, opts.approve, opts.cancel].filter((x) => x === true).length;
      if (chosen !== 1) throw usage('give exactly one of --schedule, --approve and --cancel');
      if (opts.delay !== undefined && opts.schedule !== true) throw usage('--delay goes with --schedule');
      const id = await tenantOf(opts);
      await withClient(opts, async (client) => {
        const status =
          opts.schedule === true
            ? await client.call('RequestShred', { tenant: id, delayMs: opts.delay ?? 0, defaultDelay: opts.delay === undefined })
            : opts.approve === true
              ? await client.call('ApproveShred', { tenant: id })
              : await client.call('CancelShred', { tenant: id });
        const title = opts.schedule === true ? 'crypto-shred requested' : opts.approve === true ? 'crypto-shred approved' : 'crypto-shred cancelled';
        printResult(ctx.io, outputOf(cmd), title, shredRow(status));
      });
    });

  withConnection(
    tenant
      .command('replace-ca')
      .description("replace the tenant's CA certificate and CRL (its tenant admin, authenticated under the current CA)")
      .option('--tenant <tenant>', 'tenant id')
      .requiredOption('--new-ca <file>', "the new CA's certificate (PEM)")
      .requiredOption('--new-crl <file>', "the new CA's CRL (PEM)"),
  )
    .addHelpText('after', examples(['tessera tenant replace-ca --new-ca acme-ca2.crt --new-crl acme-ca2.crl']))
    .action(async (opts: TenantOption & { newCa: string; newCrl: string }, cmd: Command) => {
      const id = await tenantOf(opts);
      const caPem = await readPem(opts.newCa, 'CA certificate');
      const crlPem = await readPem(opts.newCrl, 'CRL');
      await withClient(opts, async (client) =>
        printResult(ctx.io, outputOf(cmd), 'tenant CA replaced', row(tenantFromWire(await client.call('ReplaceTenantCa', { tenant: id, caCertificatePem: caPem, caCrlPem: crlPem })))),
      );
    });

  return tenant;
}
