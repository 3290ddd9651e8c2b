/** The API versions this server has, oldest first. A version is listed at /api while it is not sunset. */
export const API_VERSIONS = ['v1'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const CURRENT_API_VERSION: ApiVersion = 'v1';
