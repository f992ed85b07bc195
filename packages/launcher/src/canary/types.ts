/** One place a canary was found. */
export interface CanaryHit {
  /** The file's path, or `leveldb:<dir> entry#<n> key|value` for a LevelDB record. */
  readonly where: string;
  /** Which encoding of the marker was found (see canaryNeedles). */
  readonly encoding: string;
  /** Byte offset of the match in the file, key or value. */
  readonly offset?: number;
}
