/**
 * Sequence numbers of one data session. Every write carries (client id,
 * seq, acked through): the server remembers each seq's reply until the
 * client says it holds it, so a retry with the same seq is answered from
 * that memory instead of being applied again.
 *
 * Writes of one client run concurrently (several chunk uploads, several
 * puts), so seqs complete out of order. "Acked through" is the highest seq
 * such that it and every seq below it is settled: answered, or given up on
 * (the client will never send that seq again, so the server may forget it).
 */
import { u64String, type DataSession } from '@tessera/wire';

export class SessionSeqs {
  private next = 1;
  private readonly open = new Set<number>();

  constructor(readonly clientId: string) {}

  /** A fresh seq, open until `settle`. */
  begin(): number {
    const seq = this.next++;
    this.open.add(seq);
    return seq;
  }

  settle(seq: number): void {
    this.open.delete(seq);
  }

  /** The highest seq that, with all below it, is settled. */
  ackedThrough(): number {
    let lowestOpen = this.next;
    for (const s of this.open) if (s < lowestOpen) lowestOpen = s;
    return lowestOpen - 1;
  }

  /** The session part of a request with `seq`. */
  wire(seq: number): DataSession {
    return { clientId: this.clientId, seq: u64String(seq), ackedThrough: u64String(Math.min(this.ackedThrough(), seq - 1)) };
  }
}
