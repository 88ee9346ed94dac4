import { setToken } from '../api.js';
import { notice } from '../components.js';
import { h } from '../dom.js';
import type { Page } from '../page.js';

/**
 * Asks for the server's token: it requires one for reads. The token is kept in sessionStorage
 * (this tab, until it closes) and sent as `Authorization: Bearer` on every API call.
 */
export function tokenPage(refused: boolean, retry: () => void): Page {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, 'aria-label': 'API token' });
  const form = h('form', {
    class: 'token-form',
    onsubmit: (e: Event) => {
      e.preventDefault();
      setToken(input.value.trim());
      retry();
    },
  },
  h('label', { class: 'field grow' }, h('span', {}, 'API token'), input),
  h('button', { type: 'submit' }, 'Open'));
  const element = h('section', { class: 'page narrow', 'data-token-prompt': '' },
    h('h1', {}, 'Token needed'),
    refused
      ? notice('error', 'The server refused this token. Check it (the FASTLANE_API_TOKEN the server was started with) and enter it again.')
      : h('p', {}, 'This server needs its API token to show its data (it was started with FASTLANE_API_AUTH_READS=1).'),
    form,
    h('p', { class: 'muted' }, 'The token is kept in this browser tab only, until it is closed.'));
  queueMicrotask(() => input.focus());
  return { title: 'Token needed', live: false, element, refresh: async () => undefined };
}
