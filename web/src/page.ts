import { forgetToken, storedToken } from './token.js';

export const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document) =>
  root.querySelector<T>(selector)!;

/** An element with text content (never HTML: names come from users). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | number,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** The tab's token, or off to the sign-in page; wires the header's sign-out button. */
export function signedIn(): string | undefined {
  const token = storedToken();
  if (!token) {
    location.replace('/sign-in');
    return undefined;
  }
  document.querySelector('#sign-out')?.addEventListener('click', () => {
    forgetToken();
    location.assign('/sign-in');
  });
  return token;
}

/** Shows what went wrong in the page's error line (a 401 has already sent the user to sign in). */
export function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (message !== 'signed out') $('#error').textContent = message;
}

export const formatTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
