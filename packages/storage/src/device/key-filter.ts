/**
 * An in-memory Bloom filter of the shard keys a device's index may hold.
 *
 * Almost every write is a fresh (chunk id, writeId, shard index): the index
 * lookup that asks "does this put replace a record?" costs a LevelDB read
 * (measured at about 15 µs of event-loop time each) to learn "no". The filter
 * answers that without touching LevelDB; a "maybe" (a real key, or a false
 * positive at about 0.1 %) falls back to the lookup. It never forgets a key,
 * so deleted keys stay "maybe" until the next open rebuilds it.
 *
 * It grows by layers (a scalable Bloom filter): when a layer is full a twice
 * larger one takes new keys, so the false-positive rate stays bounded without
 * rereading the index. About 16 bits per key.
 */
import { SHARD_KEY_BYTES } from '../format/shard-key.js';

const PROBES = 6;
const BITS_PER_KEY = 16;
const MIN_LAYER_BITS = 1 << 20;

class Layer {
  readonly words: Uint32Array;
  readonly mask: number;
  readonly capacity: number;
  count = 0;

  constructor(bits: number) {
    this.words = new Uint32Array(bits >>> 5);
    this.mask = bits - 1;
    this.capacity = Math.floor(bits / BITS_PER_KEY);
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.count++;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class KeyFilter {
  private readonly layers: Layer[];

  constructor(expectedKeys = 0) {
    this.layers = [new Layer(layerBits(expectedKeys))];
  }

  add(key: Buffer): void {
    let layer = this.layers[this.layers.length - 1]!;
    if (layer.count >= layer.capacity) {
      layer = new Layer((layer.mask + 1) * 2);
      this.layers.push(layer);
    }
    const [h1, h2] = hashes(key);
    layer.add(h1, h2);
  }

  /** False only when the key was never added. */
  mayContain(key: Buffer): boolean {
    const [h1, h2] = hashes(key);
    return this.layers.some((layer) => layer.has(h1, h2));
  }
}

function layerBits(keys: number): number {
  let bits = MIN_LAYER_BITS;
  while (bits / BITS_PER_KEY < keys * 2) bits *= 2;
  return bits;
}

/**
 * Two 32-bit hashes for double hashing. Chunk ids are content hashes and
 * writeIds are random, so their bytes are already uniform; they are mixed
 * (murmur finaliser) so that crafted chunk ids cannot line up, at worst, more
 * than extra lookups.
 */
function hashes(key: Buffer): [number, number] {
  if (key.length !== SHARD_KEY_BYTES) throw new RangeError('shard key must be 49 bytes');
  let a = 0x9e37_79b9 ^ key[SHARD_KEY_BYTES - 1]!;
  let b = 0x85eb_ca6b;
  for (let i = 0; i + 4 <= SHARD_KEY_BYTES - 1; i += 8) {
    a = mix(a ^ key.readUInt32LE(i));
    b = mix(b ^ key.readUInt32LE(i + 4));
  }
  return [mix(a ^ b) >>> 0, (mix(b + 0x27d4_eb2d) | 1) >>> 0];
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h;
}
