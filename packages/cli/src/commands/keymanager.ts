/**
 * `tessera keymanager …`: initialise a root provider, run a key manager
 * (@tessera/keymanager) in the foreground, and the cluster admin's verbs on
 * the key managers (status, members, health, the node allow-list, the
 * system epoch).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { formatKeyRef, initProvider, parsePin, resolveKeyManagerConfig, resolveProviderConfig, runKeyManager, spkiSha256OfFile, type KeyManagerFlags } from '@tessera/keymanager';
import { u64Number } from '@tessera/wire';
import type { CliIo } from '../io.js';
import { collect, parseCount } from '../options.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { CONNECTION_ENV_HELP, withClient, withConnection, type ConnectionOptions } from './connection.js';

interface Context {
  readonly io: CliIo;
}

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[], extra = ''): string {
  return `${extra}\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `cannot read config file ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `config file ${file} is not JSON`);
  }
}

function providerOptions(cmd: Command): Command {
  return cmd
    .option('--provider <kind>', 'root provider: file (one-member key manager) or pkcs11')
    .option('--keyring <dir>', 'file provider: the keyring folder (0700, outside every data dir)')
    .option('--pkcs11-library <file>', 'pkcs11 provider: the PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so)')
    .option('--token-label <label>', 'pkcs11 provider: the token')
    .option('--pin-file <file>', 'pkcs11 provider: file holding the user PIN (default: TESSERA_PKCS11_PIN)')
    .option('--label-prefix <prefix>', 'pkcs11 provider: prefix of every object label (default tessera)');
}

interface StartOptions extends KeyManagerFlags {
  readonly config?: string;
}

function registerStart(km: Command, ctx: Context): void {
  const cmd = km
    .command('start')
    .description('run a key manager in the foreground (JSON log lines on stderr; one ready line on stdout)')
    .option('--config <file>', 'JSON config file (flags win over it)')
    .option('--id <id>', 'key-manager id (must match the certificate; never reused)')
    .option('--data-dir <dir>', 'data directory (raft/, state/, ports.json)')
    .option('--listen <host:port>', 'keys port (Keys and Raft), loopback; port 0 picks one (default 127.0.0.1:0)')
    .option('--advertise <host:port>', 'keys-port address committed for this member (default: the bound one)')
    .option('--http-listen <host:port>', 'HTTP port for /metrics, /healthz and /readyz, loopback (default 127.0.0.1:0)')
    .option('--allow-non-loopback', 'allow listen addresses beyond loopback (explicit opt-in for deployments)')
    .option('--cert <file>', 'key-manager certificate (spiffe://TD/keymanager/ID)')
    .option('--key <file>', 'its private key')
    .option('--ca <file>', 'cluster CA certificate(s)')
    .option('--crl <file>', 'cluster CA CRL(s)')
    .option('--trust-domain <domain>', 'trust domain (default: from the certificate)')
    .option('--bootstrap', 'an empty store starts a new key-manager group with this member as its only voter')
    .option('--join', 'an empty store waits to be added (AddKeyManager with its incarnation id); pkcs11 only')
    .option('--cluster-id <id>', 'with --join: the group to join (default: learnt from its leader)')
    .option('--peer <id=host:port>', 'peer address override (repeatable; wins over committed addresses)', collect)
    .option('--tick-ms <ms>', 'Raft tick (default 100)', parseCount)
    .option('--election-ticks <n>', 'election timeout in ticks (default 10)', parseCount)
    .option('--heartbeat-ticks <n>', 'heartbeat interval in ticks (default 1)', parseCount)
    .option('--snapshot-entries <n>', 'snapshot after this many applied entries (default 10000)', parseCount)
    .option('--retain-entries <n>', 'entries kept below a snapshot (default 1000)', parseCount)
    .option('--key-ttl-ms <ms>', 'absolute TTL handed out with every key (default 60000)', parseCount)
    .option('--audit-window-ms <ms>', 'repeated denials are aggregated per principal, method and window (default 60000)', parseCount)
    .option('--log-level <level>', 'debug, info, warn or error (default info)');
  providerOptions(cmd)
    .addHelpText(
      'after',
      examples(
        [
          'tessera keymanager start --id km1 --data-dir data/km1 --bootstrap --provider file --keyring /etc/tessera/keyring --cert pki/km1.crt --key pki/km1.key --ca pki/ca/ca.crt --crl pki/ca/ca.crl',
          'TESSERA_PKCS11_PIN=... tessera keymanager start --config km2.json --join --peer km1=127.0.0.1:7300',
        ],
        '\nThe root provider must complete a round trip (wrap, unwrap, sign) or the key manager refuses to start.\nSignals: SIGTERM/SIGINT stop cleanly; SIGUSR2 simulates power loss when TESSERA_CRASHSIM=1; SIGHUP reloads certificates.\nMemory: V8 runs with --heap-growing-percent=200 (ADR 0025); TESSERA_HEAP_GROWING_PERCENT=<0-1000> overrides, 0 keeps V8\'s own.\n',
      ),
    )
    .action(async (opts: StartOptions) => {
      const file = opts.config !== undefined ? await readConfigFile(opts.config) : {};
      const baseDir = opts.config !== undefined ? path.dirname(path.resolve(opts.config)) : process.cwd();
      const config = resolveKeyManagerConfig(file, opts, baseDir);
      const code = await runKeyManager(config, { stdout: ctx.io.stdout });
      // Everything opened was closed; should a library still hold a handle, do not linger half-stopped.
      setTimeout(() => process.exit(code), 2_000).unref();
      if (code !== 0) throw new TesseraError(ErrorCodes.RAFT_STORAGE, 'the key manager stopped on a failure (see its log)');
    });
}

function registerInit(km: Command, ctx: Context): void {
  providerOptions(
    km
      .command('init')
      .description("create the root key and the audit signing key in the root provider (a new keyring folder, or a token's objects)")
      .option('--config <file>', "JSON config file (its `provider` object; flags win)"),
  )
    .addHelpText(
      'after',
      examples([
        'tessera keymanager init --provider file --keyring /etc/tessera/keyring',
        'TESSERA_PKCS11_PIN=... tessera keymanager init --provider pkcs11 --pkcs11-library /usr/lib/softhsm/libsofthsm2.so --token-label tessera',
      ], '\nThe file provider refuses a folder that already holds anything; a token that already holds the keys is left as it is.\n'),
    )
    .action(async (opts: KeyManagerFlags & { config?: string }, cmd: Command) => {
      const file = (opts.config !== undefined ? await readConfigFile(opts.config) : {}) as Record<string, unknown>;
      const baseDir = opts.config !== undefined ? path.dirname(path.resolve(opts.config)) : process.cwd();
      const providerFile = typeof file['provider'] === 'object' && file['provider'] !== null ? (file['provider'] as Record<string, unknown>) : {};
      const init = await initProvider(resolveProviderConfig(providerFile, opts, baseDir));
      printResult(ctx.io, outputOf(cmd), 'root provider initialised', {
        provider: init.provider,
        created: init.created,
        rootKey: formatKeyRef(init.rootKey),
        auditKey: formatKeyRef(init.auditKey),
        auditPublicKey: init.auditPublicKey.toString('hex'),
      });
    });
}

function registerAdminVerbs(km: Command, ctx: Context): void {
  withConnection(km.command('status').description('the key managers\' Raft group: leader, term, members'))
    .addHelpText('after', examples(['tessera keymanager status --endpoint 127.0.0.1:7300 --cert admin.crt --key admin.key --ca ca.crt'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions, cmd: Command) =>
      withClient(opts, async (client) => {
        const s = await client.call('KeyManagerStatus', {}, { idempotent: true });
        const format = outputOf(cmd);
        const members = s.members.map((m) => ({ id: m.identity?.id ?? '', role: m.role === 'MEMBER_ROLE_VOTER' ? 'voter' : 'learner', address: m.identity?.address ?? '', incarnationId: m.identity?.incarnationId ?? '', matchIndex: u64Number(m.matchIndex) }));
        if (format === 'json') {
          ctx.io.stdout.write(JSON.stringify({ clusterId: s.clusterId, leaderId: s.leaderId, term: u64Number(s.term), commitIndex: u64Number(s.commitIndex), members }, null, 2) + '\n');
          return;
        }
        printResult(ctx.io, format, 'key managers', { clusterId: s.clusterId, leader: s.leaderId, term: u64Number(s.term), commitIndex: u64Number(s.commitIndex) });
        printRows(ctx.io, format, 'members', 'members', members, ['id', 'role', 'address', 'matchIndex']);
      }),
    );

  withConnection(
    km
      .command('add-member')
      .description('add a key manager started with --join (learner, then voter once caught up); pkcs11 provider only')
      .requiredOption('--id <id>', 'its id')
      .requiredOption('--incarnation <id>', 'its incarnation id (from its ports.json or ready line)')
      .requiredOption('--address <host:port>', 'its keys port')
      .option('--learner', 'keep it a learner'),
  )
    .addHelpText('after', examples(['tessera keymanager add-member --id km2 --incarnation 6f1c… --address 127.0.0.1:7301'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions & { id: string; incarnation: string; address: string; learner?: boolean }, cmd: Command) =>
      withClient(opts, async (client) => {
        const res = await client.call('AddKeyManager', { member: { id: opts.id, incarnationId: opts.incarnation, address: opts.address }, voter: opts.learner !== true });
        printResult(ctx.io, outputOf(cmd), 'key manager added', { id: opts.id, voter: opts.learner !== true, index: u64Number(res.index) });
      }),
    );

  withConnection(km.command('health').description('root provider and key-manager health (no key material)'))
    .addHelpText('after', examples(['tessera -o json keymanager health'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions, cmd: Command) =>
      withClient(opts, async (client) => {
        const h = await client.call('GetKeyHealth', {}, { idempotent: true });
        printResult(ctx.io, outputOf(cmd), 'key health', {
          provider: h.provider,
          providerOk: h.providerOk,
          providerReason: h.providerReason,
          member: h.memberId,
          leader: h.leaderId,
          systemEpoch: u64Number(h.systemEpoch),
          minDecryptEpoch: u64Number(h.minDecryptEpoch),
          tenants: h.tenants,
          tenantsShredded: h.tenantsShredded,
          nodes: h.nodes,
          auditRecordsLost: u64Number(h.auditRecordsLost),
        });
        if (!h.providerOk) throw new TesseraError(ErrorCodes.KM_PROVIDER_UNAVAILABLE, `the root provider is unhealthy (${h.providerReason || 'unknown'})`);
      }),
    );

  withConnection(
    km
      .command('allow-node')
      .description("allow a storage node id, pinned to its certificate's public key (also changes a pin)")
      .requiredOption('--id <id>', 'node id')
      .option('--node-cert <file>', 'the node certificate to pin (its SubjectPublicKeyInfo)')
      .option('--pin <hex>', 'or the pin itself: SHA-256 of the SubjectPublicKeyInfo, 64 hex digits'),
  )
    .addHelpText('after', examples(['tessera keymanager allow-node --id n1 --node-cert pki/n1/node-n1.crt', 'tessera keymanager allow-node --id n1 --pin 3f5a…'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions & { id: string; nodeCert?: string; pin?: string }, cmd: Command) => {
      if ((opts.nodeCert === undefined) === (opts.pin === undefined)) throw new TesseraError(ErrorCodes.CLI_USAGE, 'give exactly one of --node-cert and --pin');
      const pin = opts.pin !== undefined ? parsePin(opts.pin) : await spkiSha256OfFile(opts.nodeCert!);
      await withClient(opts, async (client) => {
        await client.call('SetNodePin', { nodeId: opts.id, spkiSha256: pin }, { idempotent: true });
        printResult(ctx.io, outputOf(cmd), 'node allowed', { nodeId: opts.id, pin: pin.toString('hex') });
      });
    });

  withConnection(km.command('remove-node').description('remove a node id from the allow-list').requiredOption('--id <id>', 'node id'))
    .addHelpText('after', examples(['tessera keymanager remove-node --id n3'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions & { id: string }, cmd: Command) =>
      withClient(opts, async (client) => {
        await client.call('RemoveNode', { nodeId: opts.id });
        printResult(ctx.io, outputOf(cmd), 'node removed', { nodeId: opts.id });
      }),
    );

  withConnection(km.command('nodes').description('the node allow-list and pins'))
    .addHelpText('after', examples(['tessera keymanager nodes'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions, cmd: Command) =>
      withClient(opts, async (client) => {
        const res = await client.call('ListNodes', {}, { idempotent: true });
        printRows(ctx.io, outputOf(cmd), 'allowed nodes', 'nodes', res.nodes.map((n) => ({ nodeId: n.nodeId, pin: n.spkiSha256.toString('hex') })), ['nodeId', 'pin']);
      }),
    );

  withConnection(km.command('rotate-system-epoch').description('a new system epoch with a new master key (new chunk writes use it)'))
    .addHelpText('after', examples(['tessera keymanager rotate-system-epoch'], CONNECTION_ENV_HELP))
    .action(async (opts: ConnectionOptions, cmd: Command) =>
      withClient(opts, async (client) => {
        const before = await client.call('GetKeyHealth', {}, { idempotent: true });
        const res = await client.call('RotateSystemEpoch', { expectedEpoch: before.systemEpoch }, { idempotent: true });
        printResult(ctx.io, outputOf(cmd), 'system epoch rotated', { epoch: u64Number(res.epoch) });
      }),
    );
}

export function registerKeyManagerCommands(program: Command, ctx: Context): Command {
  const km = program
    .command('keymanager')
    .description('key-manager processes, the root provider, the node allow-list')
    .addHelpText('after', examples(['tessera keymanager init --provider file --keyring /etc/tessera/keyring', 'tessera keymanager status --endpoint 127.0.0.1:7300', 'tessera keymanager allow-node --id n1 --node-cert pki/n1/node-n1.crt']));
  registerInit(km, ctx);
  registerStart(km, ctx);
  registerAdminVerbs(km, ctx);
  return km;
}
