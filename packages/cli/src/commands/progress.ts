/**
 * A one-line progress display on stderr for long transfers: shown only
 * when stderr is a terminal and the transfer is large, redrawn at most a
 * few times a second, erased at the end (scripts and logs never see it).
 */
export const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;
const REDRAW_MS = 200;

export interface ProgressSink {
  write(text: string): unknown;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private drawn = false;

  private constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly total: number | undefined,
  ) {}

  /** A progress line, or undefined when none should be shown. `total` undefined: size unknown (a pipe). */
  static maybe(sink: ProgressSink, isTty: boolean, label: string, total: number | undefined): Progress | undefined {
    if (!isTty) return undefined;
    if (total !== undefined && total < PROGRESS_MIN_BYTES) return undefined;
    return new Progress(sink, label, total);
  }

  add(bytes: number): void {
    this.done += bytes;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    const of = this.total === undefined ? '' : ` / ${mib(this.total)} (${this.total === 0 ? 100 : Math.floor((this.done * 100) / this.total)} %)`;
    this.sink.write(`\r\x1b[K${this.label}: ${mib(this.done)}${of}`);
  }

  finish(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
  }
}
