export interface EventuallyOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Wait this long between two tries (default 50 ms). */
  intervalMs?: number;
  /** What is waited for, for the error message. */
  what?: string;
}

/** Thrown by the function given to `eventually` to stop at once (e.g. the process it waits for has exited). */
export class GiveUp extends Error {}

/**
 * Calls `fn` until it neither throws nor returns `false`, and resolves with what it returned;
 * after `timeoutMs` rejects with the last error. Polling with a deadline, for what a test cannot
 * be told of by an event: write the condition as `expect(...)` calls (their message is the one
 * reported) or return a boolean.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, what } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const result = await fn();
      if (result !== false) return result;
      failure = new Error('the condition is false');
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      failure = error;
    }
    if (Date.now() >= deadline) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`timed out after ${timeoutMs} ms${what ? ` waiting for ${what}` : ''}: ${reason}`, {
        cause: failure,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
