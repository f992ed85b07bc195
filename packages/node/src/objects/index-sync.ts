/**
 * Brings a tenant's name index up to date before a listing (issue #12): with
 * the keyTags the metadata journal says changed since the index's mark, or,
 * when the journal cannot tell (first list, restore, restart, overrun,
 * purge), with the tenant's whole current-object map.
 */
import type { Describe, NameIndex } from './name-index.js';

/** What the metadata state machine answers (MetadataMachine implements it). */
export interface ObjectChangeFeed<C> {
  objectChangesSince(tenant: string, cursor: C | undefined): { readonly kind: 'changes'; readonly cursor: C; readonly changed: readonly string[] } | { readonly kind: 'resync'; readonly cursor: C };
  currentObjects(tenant: string): ReadonlyMap<string, number>;
  currentSequence(tenant: string, keyTag: string): number | undefined;
}

/**
 * The journal's answer and the state it is applied with are read together,
 * synchronously in this call, so the update lands the index exactly at the
 * cursor it records. O(changes) on the incremental path, O(objects) on a resync.
 */
export function syncNameIndex<C>(index: NameIndex<C>, feed: ObjectChangeFeed<C>, tenant: string, describe: Describe): Promise<void> {
  const changes = feed.objectChangesSince(tenant, index.mark);
  if (changes.kind === 'resync') return index.reconcile(feed.currentObjects(tenant), describe, changes.cursor);
  return index.applyChanges(changes.changed, (keyTag) => feed.currentSequence(tenant, keyTag), describe, changes.cursor);
}
