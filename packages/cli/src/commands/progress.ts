/**
 * A one-line progress display on stderr for long transfers: shown only
 * when stderr is a terminal and the transfer is large, redrawn at most a
 * few times a second, erased at the end (scripts and logs never see it).
 * WorkProgress (below) does the same for counted work — scrub passes,
 * repairs, compaction — and writes plain lines when stderr is no terminal.
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

/** Plain progress lines (stderr not a terminal) come at most this often, unless the phase changes. */
const PLAIN_EVERY_MS = 5_000;
const BAR_WIDTH = 24;

/** `[#########---------------]  37 %` for `done` of `total` (clamped; an unknown or zero total shows no bar). */
export function progressBar(done: number, total: number | undefined, width = BAR_WIDTH): string {
  if (total === undefined || total <= 0) return '';
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)} %`;
}

/** One step of counted work: what is being done, how far, and a short note. */
export interface WorkStep {
  readonly phase: string;
  readonly done: number;
  readonly total?: number;
  readonly unit?: string;
  readonly note?: string;
}

export function describeStep(step: WorkStep): string {
  const count = step.total === undefined ? `${step.done}` : `${step.done}/${step.total}`;
  const bar = progressBar(step.done, step.total);
  return [`${step.phase}:`, bar, `${count}${step.unit !== undefined ? ` ${step.unit}` : ''}`, step.note ?? ''].filter((p) => p !== '').join(' ');
}

/**
 * Progress of counted work (a scrub pass, repairs, compaction) on stderr: a
 * bar redrawn in place when stderr is a terminal, erased at the end; plain
 * lines otherwise (logs and CI see how it went without control characters),
 * one when the phase changes and at most one every few seconds besides.
 */
export class WorkProgress {
  private lastDraw = 0;
  private lastPhase: string | undefined;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly isTty: boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  update(step: WorkStep): void {
    const now = this.clock();
    const phaseChanged = step.phase !== this.lastPhase;
    if (this.isTty) {
      if (!phaseChanged && now - this.lastDraw < REDRAW_MS) return;
      this.sink.write(`\r\x1b[K${describeStep(step)}`);
      this.drawn = true;
    } else {
      if (!phaseChanged && now - this.lastDraw < PLAIN_EVERY_MS) return;
      this.sink.write(`${describeStep(step)}\n`);
    }
    this.lastDraw = now;
    this.lastPhase = step.phase;
  }

  finish(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}
