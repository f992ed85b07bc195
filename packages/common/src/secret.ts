/**
 * A brand that marks objects holding secret material (keys, plaintext). The
 * logger and error serialisers refuse any value that carries it, so a key can
 * never be logged by accident even when it is nested deep inside a field.
 */
export const SECRET_BRAND: unique symbol = Symbol.for('tessera.secret');

export interface SecretBranded {
  readonly [SECRET_BRAND]: true;
}

export function isSecretBranded(value: unknown): value is SecretBranded {
  return typeof value === 'object' && value !== null && (value as Partial<SecretBranded>)[SECRET_BRAND] === true;
}
