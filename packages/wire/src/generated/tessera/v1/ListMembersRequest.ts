// Original file: proto/tessera/v1/admin.proto


/**
 * No parameters.
 */
export interface ListMembersRequest {
}

/**
 * No parameters.
 */
export interface ListMembersRequest__Output {
}
