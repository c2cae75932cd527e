export { createImportClient } from './client.js';
export type { CallOptions, ImportClient, ImportClientOptions, ImportOperation, ImportOutcome } from './client.js';
export { EasemobApiError, EasemobConfigError, EasemobError, EasemobRedirectError, EasemobTransportError, classifyStatus } from './errors.js';
export type { ErrorKind } from './errors.js';
export { createRateLimiter } from './rate-limit.js';
export type { RateLimiter, RateLimiterOptions } from './rate-limit.js';
export type { RetryEvent, RetryOptions } from './retry.js';
export { RATE_LIMITS } from './generated/rate-limits.js';
export type * from './types.js';
