import { $, element, formatTime, showError, signedIn } from './page.js';
import { api } from './token.js';

interface Session {
  session_id: number;
  session_name: string;
  created_at: string;
}
interface Run {
  status: string;
  finished: string | null;
}

/** The session selected by the query (the API also takes the header). */
const selected = (path: string, id: number) => `${path}?session_id=${id}`;

async function lastRun(id: number): Promise<Run | undefined> {
  const runs = await api<Run[]>('GET', selected('/api/v1/session/runs', id));
  return runs.at(-1);
}

async function render(): Promise<void> {
  const sessions = await api<Session[]>('GET', '/api/v1/sessions');
  const runs = await Promise.all(sessions.map((s) => lastRun(s.session_id)));
  const body = $<HTMLTableSectionElement>('#sessions tbody');
  body.replaceChildren(
    ...sessions.map((session, i) => {
      const row = element('tr');
      row.dataset.sessionId = String(session.session_id);
      const link = element('a', session.session_name);
      link.href = `/ui/sessions/${session.session_id}`;
      const name = element('td');
      name.append(link);
      const remove = element('button', 'Delete', 'danger');
      remove.type = 'button';
      remove.addEventListener('click', async () => {
        if (!confirm(`Delete session ${session.session_id} (${session.session_name}) with its model and runs?`)) return;
        await api('DELETE', selected('/api/v1/session', session.session_id)).catch(showError);
        await render().catch(showError);
      });
      const actions = element('td');
      actions.append(remove);
      row.append(
        element('td', session.session_id),
        name,
        element('td', formatTime(session.created_at)),
        element('td', runs[i]?.status ?? 'no run', `status ${runs[i]?.status ?? 'none'}`),
        actions,
      );
      return row;
    }),
  );
  $('#empty').hidden = sessions.length > 0;
}

async function main(): Promise<void> {
  if (!signedIn()) return;
  const form = $<HTMLFormElement>('#create');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = String(new FormData(form).get('name') ?? '').trim();
    try {
      await api('POST', '/api/v1/session', name ? { session_name: name } : {});
      form.reset();
      await render();
    } catch (error) {
      showError(error);
    }
  });
  await render();
}

main().catch(showError);
