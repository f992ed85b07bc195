/**
 * One loaded PKCS#11 library per process. `C_Initialize` may be called only
 * once per process and login state is per application, so every provider
 * instance in this process (three key-manager members in a test, or a
 * provider reopened after a failure) shares the module through a reference
 * count, and the last one out calls `C_Finalize`.
 */
import { createRequire } from 'node:module';
import type * as Pkcs11Types from 'pkcs11js';
import { providerUnavailable } from '../../errors.js';

export type Pkcs11Js = typeof Pkcs11Types;
export type Pkcs11Module = Pkcs11Types.PKCS11;

const require = createRequire(import.meta.url);
let binding: Pkcs11Js | undefined;

/** The pkcs11js binding (a native addon, loaded on first use so other providers never need it). */
export function pkcs11js(): Pkcs11Js {
  if (binding === undefined) {
    try {
      binding = require('pkcs11js') as Pkcs11Js;
    } catch (cause) {
      throw providerUnavailable('the pkcs11js native addon could not be loaded', cause);
    }
  }
  return binding;
}

interface Loaded {
  readonly module: Pkcs11Module;
  refs: number;
}

const loaded = new Map<string, Loaded>();

export interface ModuleLease {
  readonly module: Pkcs11Module;
  /** True when this lease is the only one (so the caller may re-initialise to rescan slots). */
  readonly sole: () => boolean;
  release(): void;
}

export function acquireModule(library: string): ModuleLease {
  let entry = loaded.get(library);
  if (entry === undefined) {
    const lib = pkcs11js();
    const module = new lib.PKCS11();
    try {
      module.load(library);
      module.C_Initialize();
    } catch (cause) {
      throw providerUnavailable('the PKCS#11 library could not be loaded', cause);
    }
    entry = { module, refs: 0 };
    loaded.set(library, entry);
  }
  const held = entry;
  held.refs++;
  let released = false;
  return {
    module: held.module,
    sole: () => held.refs === 1,
    release: () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs > 0) return;
      loaded.delete(library);
      try {
        held.module.C_Finalize();
      } catch {
        // Already finalised or the token vanished: nothing left to release.
      }
      try {
        held.module.close();
      } catch {
        // As above.
      }
    },
  };
}

/**
 * Re-initialises a module nobody else uses, so the next slot list sees
 * tokens created since it was loaded (SoftHSM2 scans its token folder at
 * `C_Initialize`).
 */
export function reinitialise(lease: ModuleLease): void {
  if (!lease.sole()) return;
  try {
    lease.module.C_Finalize();
  } catch {
    // Not initialised: fine.
  }
  lease.module.C_Initialize();
}
