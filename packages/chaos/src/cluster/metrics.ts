/**
 * Reads counters from a node's Prometheus `/metrics` (HTTP port, no tenant
 * data): the chaos checks use the data path's degraded-read counters.
 */
import { get } from 'node:http';

/** The body of GET http://address/metrics, or undefined when unreachable. */
export function fetchMetrics(address: string | undefined, timeoutMs = 5_000): Promise<string | undefined> {
  if (address === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = get(`http://${address}/metrics`, { timeout: timeoutMs }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(parts).toString('utf8') : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
  });
}

/** Sum of every sample of metric `name` (all label sets) in a Prometheus text exposition. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
