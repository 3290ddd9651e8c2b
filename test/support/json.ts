/**
 * A parsed JSON body as the tests read it: any property, without casts. The one place where
 * test code gives up the type of an answer.
 */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
