/** One GET against a process's HTTP port (/readyz, /healthz). */
import { get } from 'node:http';

/** HTTP status of GET http://address/path, or 0 when unreachable. */
export function httpStatus(address: string | undefined, urlPath: string, timeoutMs = 2_000): Promise<number> {
  if (address === undefined) return Promise.resolve(0);
  return new Promise((resolve) => {
    const req = get(`http://${address}${urlPath}`, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}
