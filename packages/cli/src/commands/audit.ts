/**
 * `tessera audit head|export|verify` (A3): keep a signed head, export a
 * chain's trail, and later check the trail against the kept head offline —
 * a rewritten, dropped or reordered entry fails verification (exit 1).
 *
 * Files:
 *  - head file: JSON `{format, keyId, publicKey, signedHead}` — the signed
 *    head in its canonical binary encoding (base64; JSON is only the
 *    envelope, nothing in it is hashed or signed) and the audit public key
 *    the key manager gave with it. Pin that key out of band (`--public-key`
 *    on verify) rather than trusting the one in the file.
 *  - trail file: the canonical binary trail (`TSAT`, see @tessera/audit).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  ED25519_PUBLIC_KEY_BYTES,
  decodeEntry,
  decodeSignedHead,
  decodeTrail,
  encodeTrail,
  parseChainId,
  verifyTrail,
  type SignedAuditHead,
} from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { CliIo } from '../io.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { CONNECTION_ENV_HELP, ownTenant, withClient, withConnection, type ConnectionOptions } from './connection.js';

interface Context {
  readonly io: CliIo;
}

export const HEAD_FILE_FORMAT = 'tessera-audit-head/1';

interface HeadFile {
  readonly format: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly signedHead: string;
}

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

function parseHeadFile(bytes: Buffer): { signed: SignedAuditHead; publicKey: Buffer } {
  let parsed: Partial<HeadFile>;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as Partial<HeadFile>;
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the head file is not a kept audit head');
  }
  if (parsed.format !== HEAD_FILE_FORMAT || typeof parsed.signedHead !== 'string' || typeof parsed.publicKey !== 'string') {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the head file is not a kept audit head');
  }
  return { signed: decodeSignedHead(Buffer.from(parsed.signedHead, 'base64')), publicKey: Buffer.from(parsed.publicKey, 'base64') };
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

export function registerAuditCommands(program: Command, ctx: Context): Command {
  const audit = program
    .command('audit')
    .description('signed audit heads and hash-chained trails (keep a head, export, verify)')
    .addHelpText('after', examples(['tessera audit head --out acme-head.json', 'tessera audit export --out acme-trail.bin', 'tessera audit verify --head acme-head.json --trail acme-trail.bin']));

  withConnection(
    audit
      .command('head')
      .description("a signed head to keep: a tenant admin's covers its own chain; a cluster admin's every chain (or one tenant's)")
      .option('--tenant <tenant>', "the tenant's chain (default: a tenant admin's own tenant)")
      .requiredOption('--out <file>', 'where to keep the head (JSON holding the signed binary head)'),
  )
    .addHelpText('after', examples(['tessera audit head --out acme-head.json --cert acme-admin.crt --key acme-admin.key --ca ca.crt', 'tessera -o json audit head --out all-chains.json']))
    .action(async (opts: ConnectionOptions & { tenant?: string; out: string }, cmd: Command) => {
      const tenant = opts.tenant ?? (await ownTenant(opts)) ?? '';
      await withClient(opts, async (client) => {
        const res = await client.call('GetAuditHead', { tenant }, { idempotent: true });
        const signed = decodeSignedHead(res.signedHead);
        const file: HeadFile = { format: HEAD_FILE_FORMAT, keyId: res.keyId, publicKey: res.publicKey.toString('base64'), signedHead: res.signedHead.toString('base64') };
        await writeAtomic(opts.out, JSON.stringify(file, null, 2) + '\n');
        printResult(ctx.io, outputOf(cmd), 'audit head kept', { ...headSummary(signed), publicKey: res.publicKey.toString('hex'), file: opts.out });
      });
    });

  withConnection(
    audit
      .command('export')
      .description("a chain's whole trail: a tenant admin's own chain, or the system chain for a cluster admin")
      .option('--tenant <tenant>', "the tenant's chain (default: a tenant admin's own tenant; cluster admins: the system chain)")
      .requiredOption('--out <file>', 'where to write the trail (canonical binary)'),
  )
    .addHelpText('after', examples(['tessera audit export --out acme-trail.bin --cert acme-admin.crt --key acme-admin.key --ca ca.crt']))
    .action(async (opts: ConnectionOptions & { tenant?: string; out: string }, cmd: Command) => {
      const tenant = opts.tenant ?? (await ownTenant(opts)) ?? '';
      await withClient(opts, async (client) => {
        const { chain, entries } = await client.exportAudit({ tenant });
        const trail = { chain: parseChainId(chain), entries: entries.map((e) => decodeEntry(e)) };
        await writeAtomic(opts.out, encodeTrail(trail));
        printResult(ctx.io, outputOf(cmd), 'audit trail exported', { chain, entries: trail.entries.length, file: opts.out });
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
      const { signed, publicKey: included } = parseHeadFile(await readInput(opts.head, 'head'));
      const publicKey = opts.publicKey !== undefined ? await parsePublicKey(opts.publicKey) : included;
      const trail = decodeTrail(await readInput(opts.trail, 'trail'));
      const result = verifyTrail(trail, signed, publicKey);
      const format = outputOf(cmd);
      printResult(ctx.io, format, 'audit trail verified', {
        chain: result.chain,
        verifiedEntries: result.verifiedLength,
        entries: result.length,
        unsignedTail: result.length - result.verifiedLength,
        lastHash: result.lastHash.toString('hex'),
        keyId: signed.keyId,
      });
      if (opts.entries === true) {
        printRows(
          ctx.io,
          format,
          'entries',
          'entries',
          result.entries.map((e) => ({ seq: e.seq, at: new Date(e.timestampMs).toISOString(), type: e.type, principal: e.principal, method: e.method, outcome: e.outcome, reason: e.reason, count: e.count })),
          ['seq', 'at', 'type', 'principal', 'method', 'outcome', 'reason', 'count'],
        );
      }
    });

  return audit;
}
