import { ErrorCodes, TesseraError } from '@tessera/common';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port` (IPv6 as `[::1]:port`); throws INVALID_ARGUMENT otherwise. */
export function parseTarget(address: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'proxy target must be host:port with a port in 1..65535');
  }
  return { host, port };
}
