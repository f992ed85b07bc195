/** Where the CLI writes: the process streams, or buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };
