/** Key-manager values on the wire: tenants and watch events, and the node-side watch's catch-up after a reconnect. */
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '@tessera/common';
import { tesseraV1, type KeyEvent, type KeyEvent__Output } from '@tessera/wire';
import { GrpcKeyWatch, eventFromWire, eventToWire, tenantFromWire, tenantToWire, type KmEvent, type TenantView, type WatchSource } from '../src/index.js';
import { waitFor } from './raft-harness.js';

const watchMethod = tesseraV1().Keys.service.Watch;
const roundTrip = (e: KeyEvent): KeyEvent__Output => watchMethod.responseDeserialize(watchMethod.responseSerialize(e));

const acme: TenantView = { id: 'acme', policy: 'isolated', state: 'active', caCertPem: 'pem', caCrlPem: 'crl', currentEpoch: 3, kekVersion: 2, shredExecuteAtMs: 0, disabled: false };

describe('key events on the wire', () => {
  const events: KmEvent[] = [
    { kind: 'tenant-changed', tenant: acme },
    { kind: 'tenant-changed', tenant: { ...acme, state: 'shred-scheduled', shredExecuteAtMs: 1_700_000_000_000 } },
    { kind: 'tenant-changed', tenant: { ...acme, disabled: true } },
    { kind: 'tenant-shredded', tenant: 'acme' },
    { kind: 'kek-rotated', tenant: 'acme', kekVersion: 3 },
    { kind: 'system-epoch', epoch: 4 },
    { kind: 'tenant-epoch', tenant: 'acme', epoch: 5 },
    { kind: 'shred-scheduled', tenant: 'acme', executeAtMs: 42 },
    { kind: 'shred-cancelled', tenant: 'acme' },
    { kind: 'node-pin', nodeId: 'n1', removed: true },
  ];

  it.each(events)('carries $kind through the protobuf encoding unchanged', (event) => {
    expect(eventFromWire(roundTrip(eventToWire(event, 17)))).toEqual({ revision: 17, event });
  });

  it('carries a tenant view, never a key', () => {
    expect(tenantFromWire(roundTrip({ revision: '1', tenant: tenantToWire(acme) }).tenant)).toEqual(acme);
  });

  it('turns any decodable message into a known event or a TesseraError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        let decoded: KeyEvent__Output;
        try {
          decoded = watchMethod.responseDeserialize(Buffer.from(bytes));
        } catch {
          return; // not protobuf at all: grpc-js ends the call before we see it
        }
        try {
          eventFromWire(decoded);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** A stand-in for a KeyManagerClient whose watch streams the test feeds by hand. */
class FakeSource implements WatchSource {
  readonly streams: Array<EventEmitter & { cancel(): void }> = [];
  readonly preferred = 'km1:1';
  nextEndpoint(): string {
    return 'km2:1';
  }
  watch(): ReturnType<WatchSource['watch']> {
    const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
    this.streams.push(stream);
    return stream as unknown as ReturnType<WatchSource['watch']>;
  }
}

function feed(stream: EventEmitter, events: readonly KeyEvent[]): void {
  for (const e of events) stream.emit('data', roundTrip(e));
}

describe('the node-side watch', () => {
  it('derives the invalidations it missed while disconnected from the table it gets on reconnecting', async () => {
    const source = new FakeSource();
    const watch = new GrpcKeyWatch(source, { minBackoffMs: 1, maxBackoffMs: 5 });
    const seen: KmEvent[] = [];
    watch.subscribe((e) => seen.push(e));
    const beta: TenantView = { ...acme, id: 'beta', kekVersion: 1 };
    feed(source.streams[0]!, [{ revision: '5', tenant: tenantToWire(acme) }, { revision: '5', tenant: tenantToWire(beta) }, { revision: '5', synced: true }]);
    await watch.whenSynced();
    expect(seen.filter((e) => e.kind !== 'tenant-changed')).toEqual([]);
    source.streams[0]!.emit('end');
    await waitFor('a reconnect', () => source.streams.length === 2);
    // Meanwhile acme's KEK was rotated and beta was shredded; the new stream only shows the result.
    feed(source.streams[1]!, [
      { revision: '9', tenant: tenantToWire({ ...acme, kekVersion: 3 }) },
      { revision: '9', tenant: tenantToWire({ ...beta, state: 'shredded', kekVersion: 0 }) },
      { revision: '9', synced: true },
    ]);
    await watch.whenSynced();
    expect(seen.filter((e) => e.kind !== 'tenant-changed')).toEqual([
      { kind: 'kek-rotated', tenant: 'acme', kekVersion: 3 },
      { kind: 'tenant-shredded', tenant: 'beta' },
    ]);
    // The live events for what it already derived are not passed on twice.
    feed(source.streams[1]!, [{ revision: '10', invalidate: { tenant: 'beta', reason: 'INVALIDATION_REASON_SHREDDED' } }, { revision: '10', invalidate: { tenant: 'acme', reason: 'INVALIDATION_REASON_KEK_ROTATED', kekVersion: 3 } }]);
    expect(seen.filter((e) => e.kind !== 'tenant-changed')).toHaveLength(2);
    expect(watch.stats).toMatchObject({ connects: 2, catchUps: 2 });
    watch.close();
  });
});
