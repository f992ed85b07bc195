/**
 * Membership verbs of the metadata group, added to the `cluster` command
 * (operator.ts holds `cluster status`):
 *
 *  - `cluster members`: id, role, leader, the leader's view of each member's
 *    progress (match index, reachable), address and incarnation id;
 *  - `cluster add`: AddMember — a learner, then (unless `--learner`) caught
 *    up and promoted to voter, as `keymanager add-member` does;
 *  - `cluster remove`: RemoveMember (the id can never be added again);
 *  - `cluster transfer-leader`: TransferLeader to a caught-up voter.
 *
 * The leader refuses a removal while the node's devices still hold current
 * shards (NODE_HOLDS_SHARDS) or when it would leave fewer than three voters
 * (TOO_FEW_VOTERS; losing either of two would stop the cluster) unless
 * `--force` (logged with the caller's identity), and always one leaving no
 * voter; the CLI says so in one line with what to do instead.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import {
  u64Number,
  type AddMemberResponse__Output,
  type ClusterStatusResponse__Output,
  type RemoveMemberResponse__Output,
  type TransferLeaderResponse__Output,
} from '@tessera/wire';
import type { CliIo } from '../io.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { NODE_ADMIN_HELP, withNodeAdmin, withNodeAdminConnection, type NodeAdminOptions } from './node-admin.js';

interface Context {
  readonly io: CliIo;
}

/** Promotion waits up to 60 s on the leader for the learner to catch up; leave room above that. */
const ADD_TIMEOUT_MS = 90_000;
/** A transfer waits for the target to win an election. */
const TRANSFER_TIMEOUT_MS = 60_000;

/** The member id rule the membership handlers apply (checked here too, so a typo is a usage error). */
const MEMBER_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${NODE_ADMIN_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function parseMemberId(value: string): string {
  if (!MEMBER_ID.test(value)) throw new InvalidArgumentError('must be a member id: lowercase letters, digits, ".", "_" or "-", at most 63, starting with a letter or digit');
  return value;
}

export function parseAddress(value: string): string {
  const match = ADDRESS.exec(value);
  if (match === null || Number(match[1]) < 1 || Number(match[1]) > 65_535) throw new InvalidArgumentError('must be host:port (the member\'s peer port)');
  return value;
}

function parseIncarnation(value: string): string {
  if (value.trim() === '' || value.length > 128) throw new InvalidArgumentError('must be the incarnation id from the joining member\'s ready line or ports.json');
  return value;
}

/** A type, not an interface: rows go to printRows as plain records. */
export type MemberRow = {
  readonly id: string;
  readonly role: 'voter' | 'learner' | 'unknown';
  readonly leader: boolean;
  /** Null unless the answering node leads: a follower does not know the others' progress. */
  readonly match: number | null;
  readonly reachable: boolean | null;
  readonly address: string;
  readonly incarnation: string;
};

/** The members of a ClusterStatus answer as rows (`cluster status` shows the same ones). */
export function memberRows(raft: ClusterStatusResponse__Output): MemberRow[] {
  const leads = raft.leaderId !== '' && raft.leaderId === raft.nodeId;
  return raft.members.map((m) => ({
    id: m.identity?.id ?? '',
    role: m.role === 'MEMBER_ROLE_VOTER' ? 'voter' : m.role === 'MEMBER_ROLE_LEARNER' ? 'learner' : 'unknown',
    leader: m.identity?.id === raft.leaderId,
    address: m.identity?.address ?? '',
    match: leads ? u64Number(m.matchIndex) : null,
    reachable: leads ? m.reachable : null,
    incarnation: m.identity?.incarnationId ?? '',
  }));
}

/** Why the leader refused (RejectReason of @tessera/raft, carried in the message), said for an operator. */
function explainRefusal(err: unknown, what: { readonly verb: 'add' | 'remove' | 'transfer'; readonly id: string }): TesseraError {
  const e = toTesseraError(err);
  if (e.code !== ErrorCodes.RAFT_REJECTED) return e;
  const reason = /proposal rejected: (\w+)/.exec(e.message)?.[1];
  const refused = (message: string): TesseraError => new TesseraError(ErrorCodes.RAFT_REJECTED, message, { cause: e });
  switch (reason) {
    case 'twoVoters':
      return refused(
        what.verb === 'remove'
          ? `refused: removing ${what.id} would leave two voters, and losing either would stop the cluster (hint: add a voter first with tessera cluster add, then remove ${what.id})`
          : `refused: this change would leave two voters (hint: keep 3 or 5 voters; add with --learner)`,
      );
    case 'noVoters':
      return refused(`refused: removing ${what.id} would leave no voter`);
    case 'invalidTransferTarget':
      return refused(`refused: ${what.id} is not a voter other than the leader (hint: tessera cluster members lists the voters)`);
    case 'invalidConfChange':
      return refused(`refused: ${what.verb} ${what.id} does not fit the current membership (hint: tessera cluster members shows it; removed ids are never reused)`);
    case 'confChangeInFlight':
    case 'transferInProgress':
    case 'leaderNotReady':
      return refused(`refused for now: another membership change or leader transfer is in progress (hint: retry once tessera cluster members shows it done)`);
    default:
      return e;
  }
}

export function registerClusterMemberCommands(cluster: Command, ctx: Context): void {
  withNodeAdminConnection(cluster.command('members').description('members of the metadata group: role, leader, match index and reachability (the leader\'s view), address, incarnation id'))
    .addHelpText('after', examples(['tessera cluster members', 'tessera -o json cluster members --endpoint 127.0.0.1:7101']))
    .action(async (opts: NodeAdminOptions, cmd: Command) => {
      // ClusterStatus rather than ListMembers: the same member list, plus who leads and who answered,
      // without which the match/reachable columns (the leader's view only) cannot be read.
      const raft = await withNodeAdmin(opts, (admin) => admin.call<ClusterStatusResponse__Output>((c, o, cb) => c.ClusterStatus({}, o, cb)));
      const members = memberRows(raft);
      const format = outputOf(cmd);
      if (format === 'json') {
        const doc = { leader: raft.leaderId, answeredBy: raft.nodeId, term: u64Number(raft.term), commitIndex: u64Number(raft.commitIndex), members };
        ctx.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const view = raft.leaderId === raft.nodeId ? 'match and reachable as the leader sees them' : `answered by ${raft.nodeId || 'unknown'}, not the leader: no match or reachable`;
      printRows(ctx.io, format, `members (leader ${raft.leaderId || 'unknown'}, term ${u64Number(raft.term)}; ${view})`, 'members', members, ['id', 'role', 'leader', 'match', 'reachable', 'address', 'incarnation']);
    });

  withNodeAdminConnection(
    cluster
      .command('add')
      .description('add a node started with --join: as a learner, then caught up and promoted to voter (unless --learner)')
      .requiredOption('--id <id>', 'its node id (never a removed one)', parseMemberId)
      .requiredOption('--incarnation <id>', 'its incarnation id (from its ready line or ports.json)', parseIncarnation)
      .requiredOption('--address <host:port>', 'its peer port (Raft), as the other members reach it', parseAddress)
      .option('--learner', 'keep it a learner (it replicates but never votes; keep 3 or 5 voters)'),
  )
    .addHelpText('after', examples(['tessera cluster add --id n4 --incarnation 6f1c… --address 10.0.0.14:7001', 'tessera cluster add --id n6 --incarnation 91ab… --address 10.0.0.16:7001 --learner']))
    .action(async (opts: NodeAdminOptions & { id: string; incarnation: string; address: string; learner?: boolean }, cmd: Command) => {
      const voter = opts.learner !== true;
      const res = await withNodeAdmin(opts, (admin) =>
        admin.call<AddMemberResponse__Output>((c, o, cb) => c.AddMember({ member: { id: opts.id, incarnationId: opts.incarnation, address: opts.address }, voter }, o, cb), { timeoutMs: ADD_TIMEOUT_MS }),
      ).catch((err: unknown) => {
        throw explainRefusal(err, { verb: 'add', id: opts.id });
      });
      printResult(ctx.io, outputOf(cmd), 'member added', { id: opts.id, role: voter ? 'voter' : 'learner', address: opts.address, index: u64Number(res.index) });
    });

  withNodeAdminConnection(
    cluster
      .command('remove')
      .description('remove a member (its id is never accepted again); refused while its devices hold shards, or when it would leave fewer than three voters, unless forced; never to no voter')
      .requiredOption('--id <id>', 'member id', parseMemberId)
      .option('--force', 'remove it even if its devices still hold current shards or fewer than three voters would remain (logged with your identity)'),
  )
    .addHelpText(
      'after',
      examples(['tessera cluster transfer-leader --id n2    # first, if n3 leads', 'tessera cluster remove --id n3', 'tessera cluster remove --id n4 --force    # a dead node whose shards cannot be moved']) +
        '\nDrain the node first: evacuate its devices (tessera device set-state … --state evacuating), or mark them\nfailed and let repair finish (a node silent for maintenance.downOutAfterMs is marked failed by itself).\nGoing below three voters is refused; add the replacement voter first. --force overrides both rules.\n',
    )
    .action(async (opts: NodeAdminOptions & { id: string; force?: boolean }, cmd: Command) => {
      const force = opts.force === true;
      const res = await withNodeAdmin(opts, (admin) => admin.call<RemoveMemberResponse__Output>((c, o, cb) => c.RemoveMember({ id: opts.id, force }, o, cb))).catch((err: unknown) => {
        throw explainRefusal(err, { verb: 'remove', id: opts.id });
      });
      printResult(ctx.io, outputOf(cmd), 'member removed', { id: opts.id, index: u64Number(res.index), ...(force ? { forced: true } : {}) });
    });

  withNodeAdminConnection(
    cluster
      .command('transfer-leader')
      .description('hand leadership to a caught-up voter (waits until it leads)')
      .requiredOption('--id <id>', 'the voter that should lead', parseMemberId),
  )
    .addHelpText('after', examples(['tessera cluster transfer-leader --id n2', 'tessera -o json cluster transfer-leader --id n2']))
    .action(async (opts: NodeAdminOptions & { id: string }, cmd: Command) => {
      const res = await withNodeAdmin(opts, (admin) =>
        admin.call<TransferLeaderResponse__Output>((c, o, cb) => c.TransferLeader({ id: opts.id }, o, cb), { timeoutMs: TRANSFER_TIMEOUT_MS }),
      ).catch((err: unknown) => {
        throw explainRefusal(err, { verb: 'transfer', id: opts.id });
      });
      printResult(ctx.io, outputOf(cmd), 'leadership transferred', { leader: res.leaderId });
    });
}
