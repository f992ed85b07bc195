/**
 * A tiny seeded PRNG (mulberry32) for the proxy's connection-drop decisions.
 * Not cryptographic — its only job is that the same seed replays the same
 * sequence of decisions, so a failing chaos run can be reproduced.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
