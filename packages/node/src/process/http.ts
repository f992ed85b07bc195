/**
 * The node's HTTP port: the shared health server of @tessera/transport, whose
 * /readyz says "not ready for data: <reason>" (system keys loaded, a metadata
 * leader known, its devices registered).
 */
import { startHealthServer as startShared, type HealthServer, type ListenAddress, type Readiness } from '@tessera/transport';

export type { HealthServer, Readiness };

export function startHealthServer(listen: ListenAddress, readiness: Readiness): Promise<HealthServer> {
  return startShared(listen, { notReadyPrefix: 'not ready for data', ...readiness });
}
