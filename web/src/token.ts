/** The token of this browser tab: kept in sessionStorage, so it goes with the tab and never into a URL. */
const KEY = 'tarn.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);

/** The expiry of a JWT (its `exp` claim), read without checking the signature: the server does that. */
export function tokenExpiry(token: string): Date | undefined {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { exp?: number };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** A call of Tarn's API with the tab's token; a 401 sends the user to sign in again. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = storedToken();
  const response = await fetch(path, {
    method,
    headers: {
      ...(token ? { Authorization: token } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    forgetToken();
    location.assign('/sign-in');
    throw new Error('signed out');
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(parsed?.message ?? `${method} ${path} answered ${response.status}`);
  return parsed as T;
}
