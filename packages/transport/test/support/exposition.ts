/** Reading the Prometheus text format back in tests. */

export interface ExposedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** `name{labels} value` sample lines of an exposition (comments skipped). */
export function samples(body: string): ExposedSample[] {
  return body
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []) {
        const eq = pair.indexOf('=');
        labels[pair.slice(0, eq)] = JSON.parse(pair.slice(eq + 1)) as string;
      }
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the sample with exactly these labels. */
export function sampleValue(body: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return samples(body).find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}
