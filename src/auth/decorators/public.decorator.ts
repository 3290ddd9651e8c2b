import { Reflector } from '@nestjs/core';

/** Opts a route (or controller) out of the global token guard. */
export const Public = Reflector.createDecorator<true>({ transform: () => true });
