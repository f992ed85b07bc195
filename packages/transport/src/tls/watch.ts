/**
 * Triggers a reload when certificate, key or CRL files change, and on SIGHUP
 * (DESIGN section 8). Directories are watched rather than files: rotation
 * tools (and @tessera/launcher) replace files by rename, which a watch on the
 * old inode would never report. Events are coalesced for `debounceMs` so a
 * certificate and its key written one after the other cause one reload.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import type { TlsFiles } from './material.js';

export interface ReloadTriggerOptions {
  readonly files: readonly string[];
  readonly onTrigger: (cause: 'file' | 'signal') => void;
  /** Listen for SIGHUP (default true). */
  readonly sighup?: boolean;
  readonly debounceMs?: number;
}

export interface ReloadTrigger {
  close(): void;
}

export function watchForReload(options: ReloadTriggerOptions): ReloadTrigger {
  const debounceMs = options.debounceMs ?? 100;
  const byDir = new Map<string, Set<string>>();
  for (const file of options.files) {
    const dir = path.dirname(path.resolve(file));
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(path.basename(file));
    byDir.set(dir, names);
  }
  let timer: NodeJS.Timeout | undefined;
  const fire = (cause: 'file' | 'signal'): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      options.onTrigger(cause);
    }, cause === 'signal' ? 0 : debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const w = watch(dir, { persistent: false }, (_event, filename) => {
      if (filename === null || names.has(filename.toString())) fire('file');
    });
    // A vanished directory must not crash the process; the next SIGHUP or reload call recovers.
    w.on('error', () => undefined);
    watchers.push(w);
  }
  const onSighup = (): void => fire('signal');
  if (options.sighup !== false) process.on('SIGHUP', onSighup);
  return {
    close(): void {
      if (timer !== undefined) clearTimeout(timer);
      for (const w of watchers) w.close();
      if (options.sighup !== false) process.removeListener('SIGHUP', onSighup);
    },
  };
}

/** How a port or client watches its TLS files: false, true (defaults) or the trigger's tuning. */
export type TlsWatchOption = boolean | { readonly debounceMs?: number; readonly sighup?: boolean };

/** Watches the four TLS files of `tls` (and SIGHUP) per `option`; undefined when watching is off. */
export function watchTlsFiles(tls: TlsFiles, option: TlsWatchOption, onTrigger: () => void): ReloadTrigger | undefined {
  if (option === false) return undefined;
  const { debounceMs, sighup } = typeof option === 'object' ? option : {};
  return watchForReload({
    files: [tls.certFile, tls.keyFile, tls.caFile, tls.crlFile],
    onTrigger,
    ...(debounceMs !== undefined ? { debounceMs } : {}),
    ...(sighup !== undefined ? { sighup } : {}),
  });
}
