// Original file: proto/tessera/v1/admin.proto

/**
 * What a grant allows.
 */
export const AccessMode = {
  /**
   * Unknown (never valid).
   */
  ACCESS_MODE_UNSPECIFIED: 'ACCESS_MODE_UNSPECIFIED',
  /**
   * Read objects and metadata.
   */
  ACCESS_MODE_READ: 'ACCESS_MODE_READ',
  /**
   * Read and write.
   */
  ACCESS_MODE_READ_WRITE: 'ACCESS_MODE_READ_WRITE',
} as const;

/**
 * What a grant allows.
 */
export type AccessMode =
  /**
   * Unknown (never valid).
   */
  | 'ACCESS_MODE_UNSPECIFIED'
  | 0
  /**
   * Read objects and metadata.
   */
  | 'ACCESS_MODE_READ'
  | 1
  /**
   * Read and write.
   */
  | 'ACCESS_MODE_READ_WRITE'
  | 2

/**
 * What a grant allows.
 */
export type AccessMode__Output = typeof AccessMode[keyof typeof AccessMode]
