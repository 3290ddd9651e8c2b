import { storeToken, storedToken } from './token.js';

const form = document.querySelector<HTMLFormElement>('#sign-in')!;
const error = document.querySelector<HTMLParagraphElement>('#error')!;

if (storedToken()) location.replace('/logged-in-user');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const data = new FormData(form);
  const button = form.querySelector('button')!;
  button.disabled = true;
  try {
    const response = await fetch('/api/requestAuthToken', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: data.get('email'), password: data.get('password') }),
    });
    const body = (await response.json()) as { auth_token?: string; message?: string | string[] };
    if (!response.ok || !body.auth_token) {
      const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
      error.textContent =
        response.status === 401 ? 'Wrong email or password.' : (message ?? `Error ${response.status}`);
      return;
    }
    storeToken(body.auth_token);
    location.assign('/logged-in-user');
  } catch {
    error.textContent = 'The server could not be reached.';
  } finally {
    button.disabled = false;
  }
});
