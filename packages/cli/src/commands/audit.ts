/**
 * `tessera audit head|export|verify` (A3): keep signed heads, export a
 * chain's trails, and later check the trails against the kept heads offline
 * — a rewritten, dropped or reordered entry fails verification (exit 1).
 *
 * Two logs keep audit chains (DESIGN section 7): the key manager's (key
 * unwraps, tenant keys, shreds) and the storage nodes' metadata group
 * (tenant lifecycle, access grants, Data calls under a grant, admin actions,
 * aggregated refusals). With a node client port (`--node-endpoint`,
 * TESSERA_DATA_ENDPOINT or the config file's `dataEndpoints`) `head` keeps
 * both heads and `export` writes both trails of the chain in one file;
 * without one, only the key manager's (format 1 files, as before). File
 * formats: ./audit-files.ts.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  ED25519_PUBLIC_KEY_BYTES,
  KEYMANAGER_AUDIT_DOMAIN,
  METADATA_AUDIT_DOMAIN,
  decodeEntry,
  decodeSignedHead,
  encodeAuditBundle,
  encodeTrail,
  parseChainId,
  type AuditTrail,
  type SignedAuditHead,
  type TrailVerification,
} from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { MetadataAuditHead__Output, MetadataAuditPart__Output } from '@tessera/wire';
import { activeConfig, pickList } from '../config-file.js';
import type { CliIo } from '../io.js';
import { collect } from '../options.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { HEAD_FILE_FORMAT, HEAD_FILE_FORMAT_V2, headFileText, mergeEntries, parseHeadFile, verifyExport } from './audit-files.js';
import { CONNECTION_ENV_HELP, ownTenant, withClient, withConnection, type ConnectionOptions } from './connection.js';
import { withNodeAdmin, type NodeAdminOptions } from './node-admin.js';

export { HEAD_FILE_FORMAT, HEAD_FILE_FORMAT_V2 };

interface Context {
  readonly io: CliIo;
}

type AuditOptions = ConnectionOptions & { tenant?: string; out: string; nodeEndpoint?: string[] };

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[], connection = true): string {
  return `${connection ? CONNECTION_ENV_HELP + '\n' : ''}\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

/** Written next to the target and renamed into place: a kept head is never half-written. */
async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, file);
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw usage(`cannot read the ${what} file ${file}`);
  }
}

function headSummary(signed: SignedAuditHead): Record<string, unknown> {
  return {
    domain: signed.head.domain,
    takenAt: new Date(signed.head.timestampMs).toISOString(),
    keyId: signed.keyId,
    chains: signed.head.chains.map((c) => `${c.chain}:${c.length}`),
  };
}

function metadataHeadSummary(signed: SignedAuditHead): Record<string, unknown> {
  return { metadataTakenAt: new Date(signed.head.timestampMs).toISOString(), metadataChains: signed.head.chains.map((c) => `${c.chain}:${c.length}`) };
}

function verificationSummary(result: TrailVerification, prefix = ''): Record<string, unknown> {
  const key = (name: string): string => (prefix === '' ? name : prefix + name[0]!.toUpperCase() + name.slice(1));
  return {
    [key('chain')]: result.chain,
    [key('verifiedEntries')]: result.verifiedLength,
    [key('entries')]: result.length,
    [key('unsignedTail')]: result.length - result.verifiedLength,
    [key('lastHash')]: result.lastHash.toString('hex'),
  };
}

/** A public key given as 64 hex digits, base64, or a file holding either. */
async function parsePublicKey(value: string): Promise<Buffer> {
  const fromText = (text: string): Buffer | undefined => {
    const t = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(t) ? Buffer.from(t, 'base64') : undefined;
    return key?.length === ED25519_PUBLIC_KEY_BYTES ? key : undefined;
  };
  const direct = fromText(value);
  if (direct !== undefined) return direct;
  const fromFile = fromText((await readInput(value, 'public key')).toString('utf8'));
  if (fromFile === undefined) throw usage('--public-key must be a raw Ed25519 key: 64 hex digits or base64, or a file holding one');
  return fromFile;
}

/** The node Admin connection when a node client port is configured (flag, environment or config file). */
function nodeAdminOptions(opts: AuditOptions): NodeAdminOptions | undefined {
  const endpoints = pickList(opts.nodeEndpoint, 'TESSERA_DATA_ENDPOINT', activeConfig().dataEndpoints);
  if (endpoints.length === 0) return undefined;
  return {
    endpoint: endpoints,
    ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
    ...(opts.key !== undefined ? { key: opts.key } : {}),
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    ...(opts.crl !== undefined ? { crl: opts.crl } : {}),
  };
}

function withNodeEndpoint(cmd: Command): Command {
  return cmd.option('--node-endpoint <host:port>', 'a storage node client port, for the metadata group\'s trail (repeatable; default TESSERA_DATA_ENDPOINT or the config file)', collect);
}

export function registerAuditCommands(program: Command, ctx: Context): Command {
  const audit = program
    .command('audit')
    .description('signed audit heads and hash-chained trails (keep a head, export, verify)')
    .addHelpText('after', examples(['tessera audit head --out acme-head.json --node-endpoint 127.0.0.1:7101', 'tessera audit export --out acme-trail.bin --node-endpoint 127.0.0.1:7101', 'tessera audit verify --head acme-head.json --trail acme-trail.bin']));

  withConnection(
    withNodeEndpoint(audit
      .command('head'))
      .description("a signed head to keep: a tenant admin's covers its own chain; a cluster admin's every chain (or one tenant's)")
      .option('--tenant <tenant>', "the tenant's chain (default: a tenant admin's own tenant)")
      .requiredOption('--out <file>', 'where to keep the head (JSON holding the signed binary heads)'),
  )
    .addHelpText('after', examples(['tessera audit head --out acme-head.json --cert acme-admin.crt --key acme-admin.key --ca ca.crt', 'tessera -o json audit head --out all-chains.json']))
    .action(async (opts: AuditOptions, cmd: Command) => {
      const tenant = opts.tenant ?? (await ownTenant(opts)) ?? '';
      const keymanager = await withClient(opts, async (client) => client.call('GetAuditHead', { tenant }, { idempotent: true }));
      const nodes = nodeAdminOptions(opts);
      const metadata =
        nodes === undefined
          ? undefined
          : await withNodeAdmin(nodes, (admin) => admin.call<MetadataAuditHead__Output>((c, o, cb) => c.GetAuditHead({ tenant }, o, cb)));
      const kmHead = { signedHead: Buffer.from(keymanager.signedHead), publicKey: Buffer.from(keymanager.publicKey), keyId: keymanager.keyId };
      const mdHead = metadata === undefined ? undefined : { signedHead: Buffer.from(metadata.signedHead), publicKey: Buffer.from(metadata.publicKey), keyId: metadata.keyId };
      const text = headFileText(kmHead, mdHead);
      await writeAtomic(opts.out, text);
      const signed = decodeSignedHead(kmHead.signedHead);
      printResult(ctx.io, outputOf(cmd), 'audit head kept', {
        ...headSummary(signed),
        ...(mdHead !== undefined ? metadataHeadSummary(decodeSignedHead(mdHead.signedHead)) : {}),
        publicKey: kmHead.publicKey.toString('hex'),
        format: mdHead === undefined ? HEAD_FILE_FORMAT : HEAD_FILE_FORMAT_V2,
        file: opts.out,
      });
    });

  withConnection(
    withNodeEndpoint(audit
      .command('export'))
      .description("a chain's whole trail: a tenant admin's own chain, or the system chain for a cluster admin")
      .option('--tenant <tenant>', "the tenant's chain (default: a tenant admin's own tenant; cluster admins: the system chain)")
      .requiredOption('--out <file>', 'where to write the trail (canonical binary)'),
  )
    .addHelpText('after', examples(['tessera audit export --out acme-trail.bin --cert acme-admin.crt --key acme-admin.key --ca ca.crt']))
    .action(async (opts: AuditOptions, cmd: Command) => {
      const tenant = opts.tenant ?? (await ownTenant(opts)) ?? '';
      const keymanager = await withClient(opts, async (client) => {
        const { chain, entries } = await client.exportAudit({ tenant });
        return { chain: parseChainId(chain), entries: entries.map((e) => decodeEntry(e)) } satisfies AuditTrail;
      });
      const nodes = nodeAdminOptions(opts);
      const metadata =
        nodes === undefined
          ? undefined
          : await withNodeAdmin(nodes, async (admin) => {
              const parts = await admin.collect<MetadataAuditPart__Output>((c, o) => c.ExportAudit({ tenant }, o));
              const chain = parts[0]?.chain ?? keymanager.chain;
              if (parts.some((p) => p.chain !== chain)) throw new TesseraError(ErrorCodes.AUDIT_CHAIN_BROKEN, 'the node sent parts of several chains');
              return { chain: parseChainId(chain), entries: parts.flatMap((p) => p.entries.map((e) => decodeEntry(e))) } satisfies AuditTrail;
            });
      if (metadata !== undefined && metadata.chain !== keymanager.chain) throw new TesseraError(ErrorCodes.AUDIT_UNKNOWN_CHAIN, 'the two logs exported different chains');
      const bytes =
        metadata === undefined
          ? encodeTrail(keymanager)
          : encodeAuditBundle([
              { domain: KEYMANAGER_AUDIT_DOMAIN, trail: keymanager },
              { domain: METADATA_AUDIT_DOMAIN, trail: metadata },
            ]);
      await writeAtomic(opts.out, bytes);
      printResult(ctx.io, outputOf(cmd), 'audit trail exported', {
        chain: keymanager.chain,
        entries: keymanager.entries.length,
        ...(metadata !== undefined ? { metadataEntries: metadata.entries.length } : {}),
        file: opts.out,
      });
    });

  audit
    .command('verify')
    .description('check an exported trail against a kept head, offline (a rewritten, dropped or reordered entry fails: exit 1)')
    .requiredOption('--head <file>', 'a head kept with `audit head`')
    .requiredOption('--trail <file>', 'a trail written by `audit export`')
    .option('--public-key <key>', 'the audit public key you pinned (hex, base64 or a file); default: the one in the head file')
    .option('--entries', 'also list the verified entries')
    .addHelpText('after', examples(['tessera audit verify --head acme-head.json --trail acme-trail.bin', 'tessera audit verify --head h.json --trail t.bin --public-key 9a3c…'], false))
    .action(async (opts: { head: string; trail: string; publicKey?: string; entries?: boolean }, cmd: Command) => {
      const kept = parseHeadFile(await readInput(opts.head, 'head'));
      const publicKey = opts.publicKey !== undefined ? await parsePublicKey(opts.publicKey) : kept.publicKey;
      const result = verifyExport(await readInput(opts.trail, 'trail'), kept, publicKey);
      const format = outputOf(cmd);
      printResult(ctx.io, format, 'audit trail verified', {
        ...(result.keymanager !== undefined ? verificationSummary(result.keymanager) : {}),
        ...(result.metadata !== undefined ? verificationSummary(result.metadata, 'metadata') : {}),
        keyId: kept.keymanager.keyId,
      });
      if (opts.entries === true) {
        printRows(
          ctx.io,
          format,
          'entries',
          'entries',
          mergeEntries(result).map(({ group, entry: e }) => ({
            group,
            seq: e.seq,
            at: new Date(e.timestampMs).toISOString(),
            type: e.type,
            principal: e.principal,
            method: e.method,
            outcome: e.outcome,
            reason: e.reason,
            count: e.count,
          })),
          ['group', 'seq', 'at', 'type', 'principal', 'method', 'outcome', 'reason', 'count'],
        );
      }
    });

  return audit;
}
