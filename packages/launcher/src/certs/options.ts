import { ErrorCodes, TesseraError } from '@tessera/common';

/** Default lifetimes. Leaves are short-lived and renewed; CRLs follow the leaf cadence. */
export const DEFAULT_CA_DAYS = 3650;
export const DEFAULT_LEAF_DAYS = 90;
/**
 * A CRL past its nextUpdate makes OpenSSL refuse every peer of that CA, so it
 * must be regenerated (`tessera cert crl`) before then; 90 days matches the
 * leaf renewal cadence, when operators touch certificates anyway.
 */
export const DEFAULT_CRL_DAYS = 90;
/** notBefore / thisUpdate are backdated this much to tolerate clock skew between hosts. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const DAY_MS = 24 * 60 * 60 * 1000;

export function checkDays(days: number, what: string): number {
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${what} must be a whole number of days between 1 and 36500`);
  }
  return days;
}
