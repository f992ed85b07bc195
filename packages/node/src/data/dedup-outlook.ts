/**
 * Whether the next chunk a gateway stores is likely new, from how often the
 * recent ones were duplicates.
 *
 * A chunk's id (HMAC-SHA256 of its plaintext) is needed before the dedup
 * check, and sealing computes it again (a node never seals under an id it
 * did not compute). Identifying first and sealing after costs two HMACs per
 * new chunk, about a quarter of the pipeline's CPU; sealing first computes
 * the id once, but wastes the seal (AES-GCM and Reed-Solomon) when the chunk
 * turns out to be a duplicate. So the gateway seals first while duplicates
 * are rare and identifies first while they are common.
 *
 * The duplicate rate is an exponentially weighted average over recent puts
 * (weight 1/32 each): a burst of duplicates switches to identify-first
 * within a few chunks, and back once they stop.
 */

const WEIGHT = 1 / 32;
/** Above this duplicate rate, identifying first costs less than the wasted seals. */
const SEAL_FIRST_BELOW = 0.25;

export class DedupOutlook {
  private duplicateRate = 0;

  /** True: seal first (the id computed once); false: identify first. */
  sealFirst(): boolean {
    return this.duplicateRate < SEAL_FIRST_BELOW;
  }

  /** Records whether a stored chunk was a duplicate. */
  record(duplicate: boolean): void {
    this.duplicateRate += WEIGHT * ((duplicate ? 1 : 0) - this.duplicateRate);
  }

  /** The current estimate, 0 to 1 (for tests and metrics). */
  get rate(): number {
    return this.duplicateRate;
  }
}
