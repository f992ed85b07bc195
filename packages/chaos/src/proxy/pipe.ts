/**
 * One direction of one proxied connection: copies bytes from `source` to
 * `sink`, dropping them while the direction is cut and holding each chunk
 * for the configured delay. Chunks leave in arrival order (a FIFO whose head
 * gates the rest), so a delay change never reorders the stream.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Bytes held for delivery before the source is paused (backpressure). */
const MAX_QUEUED_BYTES = 1 << 20;

/** What the proxy decides for this direction, read at every chunk. */
export interface FlowControls {
  readonly cut: () => boolean;
  readonly delayMs: () => number;
  readonly onDelivered: (bytes: number) => void;
  readonly onDropped: (bytes: number) => void;
}

interface Pending {
  readonly due: number;
  readonly chunk: Buffer;
}

export class DirectedPipe {
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private sourceEnded = false;
  private stopped = false;
  /** True once a byte was dropped: the stream now has a hole. */
  damaged = false;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly controls: FlowControls,
  ) {
    source.on('data', (chunk: Buffer) => this.accept(chunk));
    source.on('end', () => {
      this.sourceEnded = true;
      this.flush();
    });
  }

  /** Stops delivering (the connection is going away); pending chunks are discarded. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private accept(chunk: Buffer): void {
    if (this.stopped) return;
    if (this.controls.cut()) {
      this.drop(chunk.length);
      return;
    }
    this.queue.push({ due: performance.now() + Math.max(0, this.controls.delayMs()), chunk });
    this.queuedBytes += chunk.length;
    this.flush();
  }

  private drop(bytes: number): void {
    this.damaged = true;
    this.controls.onDropped(bytes);
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const now = performance.now();
    while (!this.waitingForDrain) {
      const head = this.queue[0];
      if (head === undefined || head.due > now) break;
      this.queue.shift();
      this.queuedBytes -= head.chunk.length;
      // A cut that started while the chunk was delayed still drops it.
      if (this.controls.cut()) this.drop(head.chunk.length);
      else this.write(head.chunk);
    }
    this.propagateEnd();
    this.updateSourceFlow();
    this.schedule();
  };

  private write(chunk: Buffer): void {
    this.controls.onDelivered(chunk.length);
    if (this.sink.write(chunk)) return;
    this.waitingForDrain = true;
    this.sink.once('drain', () => {
      this.waitingForDrain = false;
      this.flush();
    });
  }

  /** A FIN travels like data: after every earlier byte, and not across a cut. */
  private propagateEnd(): void {
    if (!this.sourceEnded || this.queue.length > 0 || this.waitingForDrain) return;
    if (this.controls.cut()) {
      this.damaged = true;
      return;
    }
    if (!this.sink.writableEnded && !this.sink.destroyed) this.sink.end();
  }

  private updateSourceFlow(): void {
    if (this.source.destroyed || this.sourceEnded) return;
    if (this.waitingForDrain || this.queuedBytes > MAX_QUEUED_BYTES) this.source.pause();
    else if (this.source.isPaused()) this.source.resume();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waitingForDrain || this.stopped) return;
    const head = this.queue[0];
    if (head === undefined) return;
    // Timers may fire a little early against performance.now(); flush() re-checks and reschedules.
    this.timer = setTimeout(this.flush, Math.max(1, Math.ceil(head.due - performance.now())));
  }
}
