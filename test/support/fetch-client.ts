import type { Json } from './json.js';

export interface FetchAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: Json;
}

/**
 * A client for a listening test server (`app.listen(0)`), for tests that need requests to
 * overlap as a real client's would, or to read a streamed answer whole. Sends `token`, JSON
 * bodies and, when given, the `session_id` header.
 */
export function fetchClient(base: () => string, token: () => string) {
  return async (method: string, path: string, session?: number, body?: unknown): Promise<FetchAnswer> => {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: {
        Authorization: token(),
        'Content-Type': 'application/json',
        ...(session === undefined ? {} : { session_id: String(session) }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: /^[[{]/.test(text) ? JSON.parse(text) : text,
    };
  };
}
