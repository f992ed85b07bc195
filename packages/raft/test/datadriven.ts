/**
 * A tiny data-driven scenario runner in the style of etcd-io/raft's
 * interaction tests (behaviour ported, not files). A scenario file is a list
 * of blocks:
 *
 *     # comment
 *     command arg arg key=value
 *     ----
 *     expected output (possibly empty)
 *     <blank line>
 *
 * Each command runs against a `Cluster` and prints a deterministic text; the
 * test fails with a diff when it differs. `REWRITE=1` rewrites the expected
 * outputs in place (review the diff before committing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Entry, NodeId } from '../src/index.js';
import { decodeConfChange } from '../src/index.js';
import { Cluster, str, text } from './raft-harness.js';

export interface Block {
  readonly line: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly kv: ReadonlyMap<string, string>;
  readonly expected: string;
  readonly raw: string;
}

export function parseScenario(source: string): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const start = i + 1;
    const parts = line.split(/\s+/);
    const command = parts[0] ?? '';
    const args: string[] = [];
    const kv = new Map<string, string>();
    for (const p of parts.slice(1)) {
      const eq = p.indexOf('=');
      if (eq > 0) kv.set(p.slice(0, eq), p.slice(eq + 1));
      else args.push(p);
    }
    i++;
    if ((lines[i] ?? '').trim() !== '----') throw new Error(`line ${start}: expected ---- after "${line}"`);
    i++;
    const out: string[] = [];
    while (i < lines.length && (lines[i] ?? '') !== '') out.push(lines[i++] ?? '');
    blocks.push({ line: start, command, args, kv, expected: out.join('\n'), raw: line });
  }
  return blocks;
}

function entryText(e: Entry): string {
  if (e.type === 'confChange') {
    const cc = decodeConfChange(e.data);
    return `${e.index}/${e.term} ${cc.type} ${cc.nodeId}`;
  }
  return `${e.index}/${e.term} ${e.data.byteLength === 0 ? '(noop)' : str(e.data)}`;
}

/** Executes one command; returns its output text. */
export function execute(state: { cluster?: Cluster }, b: Block): string {
  const need = (): Cluster => {
    if (state.cluster === undefined) throw new Error(`line ${b.line}: no cluster yet`);
    return state.cluster;
  };
  const id = (n = 0): NodeId => {
    const v = b.args[n];
    if (v === undefined) throw new Error(`line ${b.line}: missing node argument`);
    return v;
  };
  switch (b.command) {
    case 'cluster': {
      const list = (k: string): string[] => (b.kv.get(k) ?? '').split(',').filter((s) => s !== '');
      state.cluster = new Cluster(list('voters'), {
        learners: list('learners'),
        ...(b.kv.has('prevote') ? { preVote: b.kv.get('prevote') === 'true' } : {}),
        ...(b.kv.has('checkquorum') ? { checkQuorum: b.kv.get('checkquorum') === 'true' } : {}),
        ...(b.kv.has('max-uncommitted') ? { maxUncommittedEntriesSize: Number(b.kv.get('max-uncommitted')) } : {}),
      });
      return 'ok';
    }
    case 'campaign':
      need().core(id()).campaign();
      return 'ok';
    case 'stabilize':
      need().stabilize();
      return 'ok';
    case 'tick': {
      const c = need();
      const n = Number(b.kv.get('n') ?? '1');
      for (const target of b.args) c.tick(target, n);
      return 'ok';
    }
    case 'tick-all':
      need().tickAll(Number(b.kv.get('n') ?? '1'));
      return 'ok';
    case 'propose': {
      const out = need().core(id()).propose(text(b.args[1] ?? ''));
      return out.kind === 'appended' ? `appended ${out.index}/${out.term}` : out.kind === 'notLeader' ? `notLeader leader=${out.leader || '(none)'}` : `rejected ${out.reason}`;
    }
    case 'conf-change': {
      const type = b.args[1] as 'addLearner' | 'promote' | 'removeNode' | 'addVoter';
      const out = need().core(id()).proposeConfChange({ type, nodeId: b.args[2] ?? '' }, { force: b.kv.get('force') === 'true' });
      return out.kind === 'appended' ? `appended ${out.index}/${out.term}` : out.kind === 'notLeader' ? `notLeader leader=${out.leader || '(none)'}` : `rejected ${out.reason}`;
    }
    case 'add-node':
      need().addNode(id());
      return 'ok';
    case 'transfer': {
      const out = need().core(id()).transferLeader(b.args[1] ?? '');
      return out.kind === 'rejected' ? `rejected ${out.reason}` : out.kind;
    }
    case 'read-index': {
      const out = need().core(id()).readIndex(text(b.args[1] ?? ''));
      return out.kind === 'rejected' ? `rejected ${out.reason}` : out.kind === 'notLeader' ? `notLeader leader=${out.leader || '(none)'}` : out.kind;
    }
    case 'read-states': {
      const n = need().node(id());
      const out = n.readStates.map((r) => `${str(r.requestCtx)}@${r.index}`);
      n.readStates.length = 0;
      return out.join('\n') || '(none)';
    }
    case 'isolate':
      need().isolate(id());
      return 'ok';
    case 'cut':
      need().cutLink(id(0), id(1));
      return 'ok';
    case 'heal':
      need().heal();
      return 'ok';
    case 'restart':
      need().node(id()).restart();
      return 'ok';
    case 'status': {
      const c = need();
      const ids = b.args.length > 0 ? b.args : [...c.nodes.keys()];
      return ids
        .map((n) => {
          const s = c.core(n).status();
          return `${n}: ${s.role} term=${s.term} lead=${s.lead || '-'} commit=${s.commit} last=${s.lastIndex}${s.corrupt ? ' corrupt' : ''}`;
        })
        .join('\n');
    }
    case 'log': {
      const n = need().node(id());
      return n.storage.rawEntries().map(entryText).join('\n') || '(empty)';
    }
    case 'applied':
      return need().appliedData(id()).join(' ') || '(none)';
    case 'voters': {
      const cs = need().core(id()).confState();
      return `voters=${cs.voters.join(',')} learners=${cs.learners.join(',') || '-'}`;
    }
    default:
      throw new Error(`line ${b.line}: unknown command ${b.command}`);
  }
}

/** Runs a scenario file; returns the mismatches (and rewrites the file with REWRITE=1). */
export function runScenarioFile(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const blocks = parseScenario(source);
  const state: { cluster?: Cluster } = {};
  const failures: string[] = [];
  const rewritten: string[] = [];
  for (const b of blocks) {
    const got = execute(state, b);
    if (got !== b.expected) failures.push(`line ${b.line}: ${b.raw}\n--- expected\n${b.expected}\n--- got\n${got}`);
    rewritten.push(`${b.raw}\n----\n${got}\n`);
  }
  if (process.env['REWRITE'] === '1') {
    const header = source.split('\n').filter((l, i, all) => l.startsWith('#') && all.slice(0, i).every((x) => x.startsWith('#')));
    writeFileSync(path, `${header.join('\n')}${header.length ? '\n\n' : ''}${rewritten.join('\n')}`);
  }
  return failures;
}
