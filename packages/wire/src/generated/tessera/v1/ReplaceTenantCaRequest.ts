// Original file: proto/tessera/v1/keys.proto


/**
 * Replaces a tenant's CA.
 */
export interface ReplaceTenantCaRequest {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant'?: (string);
  /**
   * PEM certificate of the new CA.
   */
  'caCertificatePem'?: (string);
  /**
   * PEM CRL of the new CA.
   */
  'caCrlPem'?: (string);
}

/**
 * Replaces a tenant's CA.
 */
export interface ReplaceTenantCaRequest__Output {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant': (string);
  /**
   * PEM certificate of the new CA.
   */
  'caCertificatePem': (string);
  /**
   * PEM CRL of the new CA.
   */
  'caCrlPem': (string);
}
