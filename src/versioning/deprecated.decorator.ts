import { Reflector } from '@nestjs/core';
import { type DeprecationPolicy, parsePolicy } from '../config/deprecation-policy.js';

export interface DeprecatedOptions {
  deprecation: string;
  sunset?: string;
  links?: DeprecationPolicy['links'];
}

/**
 * Declares in code that a route or controller is deprecated. Configuration
 * (TARN_API_POLICIES) can still override it, and the same policy drives headers,
 * the 410 answer and the OpenAPI `deprecated` flag.
 */
export const Deprecated = Reflector.createDecorator<DeprecatedOptions, DeprecationPolicy>({
  transform: (options) => parsePolicy(options, '@Deprecated()'),
});
