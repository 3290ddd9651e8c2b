import { api, forgetToken, storeToken, storedToken, tokenExpiry } from './token.js';

interface Me {
  id: number;
  email: string;
  account_id: number;
  account_name: string;
  roles: string[];
  created_at: string;
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function showToken(token: string): void {
  $('#token').textContent = token;
  const expiry = tokenExpiry(token);
  $('#expires').textContent = expiry ? `${expiry.toLocaleString()} (${expiry.toISOString()})` : 'unknown';
  // Shown to the user only: the page itself never puts the token in a URL or a log.
  $('#curl').textContent = `curl -H "Authorization: ${token}" ${location.origin}/api/v1/sessions`;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // Without clipboard access (http on another host), the user selects the text.
    const range = document.createRange();
    range.selectNodeContents($('#token'));
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    button.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => (button.textContent = button.dataset.label ?? 'Copy'), 2000);
}

async function main(): Promise<void> {
  const token = storedToken();
  if (!token) {
    location.replace('/sign-in');
    return;
  }
  showToken(token);
  const me = await api<Me>('GET', '/api/v1/users/me');
  $('#email').textContent = me.email;
  $('#account').textContent = `${me.account_name} (id ${me.account_id})`;
  $('#roles').textContent = me.roles.join(', ');
  $('#user-id').textContent = String(me.id);
  $('#profile').hidden = false;

  $<HTMLButtonElement>('#copy-token').addEventListener('click', (event) =>
    copy(storedToken() ?? '', event.currentTarget as HTMLButtonElement),
  );
  $<HTMLButtonElement>('#copy-curl').addEventListener('click', (event) =>
    copy($('#curl').textContent ?? '', event.currentTarget as HTMLButtonElement),
  );
  $<HTMLButtonElement>('#fresh-token').addEventListener('click', async () => {
    const fresh = await api<{ auth_token: string }>('POST', '/api/v1/users/me/token');
    storeToken(fresh.auth_token);
    showToken(fresh.auth_token);
  });
  $<HTMLButtonElement>('#sign-out').addEventListener('click', () => {
    forgetToken();
    location.assign('/sign-in');
  });
}

main().catch((error: Error) => {
  if (error.message !== 'signed out') $('#error').textContent = error.message;
});
