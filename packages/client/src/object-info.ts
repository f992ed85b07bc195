/** An object version's metadata as the SDK hands it out (numbers, not wire strings). */
import { u64Number, type ObjectMeta__Output } from '@tessera/wire';

export interface ObjectInfo {
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Leader timestamp of the commit, ms since the epoch. */
  readonly modifiedMs: number;
  /** Identifies this version (changes with every put). */
  readonly etag: string;
  /** User attributes (empty in listings). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Number of chunks (0 for inline objects). */
  readonly chunks: number;
}

export function objectInfoFromWire(meta: ObjectMeta__Output): ObjectInfo {
  return {
    name: meta.name,
    size: u64Number(meta.size),
    modifiedMs: u64Number(meta.modifiedMs),
    etag: meta.etag,
    attributes: { ...meta.attributes },
    chunks: meta.chunks,
  };
}
