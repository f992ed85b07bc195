/** A bounded HTTP probe of a node's health port (`/readyz`): the status code, or 0 when unreachable. */
import { get } from 'node:http';

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
