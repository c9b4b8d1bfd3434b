/// <reference lib="dom" />
import { createElement as h, useState, type ReactElement } from 'react';
import { describeToken } from './token';

/**
 * The bar above GraphiQL: paste the analyst's token (what `npm run token` or `accord login` gives), use it
 * for this tab, or forget it. Without one the gateway answers every operation, introspection included,
 * with 401: the page itself holds nothing.
 */
export function TokenBar({
  token,
  onToken,
}: {
  token: string | undefined;
  onToken: (token: string | undefined) => void;
}): ReactElement {
  const [draft, setDraft] = useState('');
  return h(
    'form',
    {
      className: 'accord-token',
      'data-testid': 'token-form',
      onSubmit: (event: { preventDefault(): void }) => {
        event.preventDefault();
        if (draft.trim()) onToken(draft.trim().replace(/^Bearer\s+/i, ''));
        setDraft('');
      },
    },
    h('strong', null, 'Accord explorer'),
    token
      ? h('span', { 'data-testid': 'token-status' }, `Asking as ${describeToken(token)}`)
      : h(
          'span',
          { 'data-testid': 'token-status' },
          'No token: paste yours (npm run -s token -- --country KR --analyst kim.j, or accord login) to load the schema and run operations.',
        ),
    h('input', {
      type: 'password',
      autoComplete: 'off',
      placeholder: 'Bearer token',
      'aria-label': 'Bearer token',
      'data-testid': 'token-input',
      value: draft,
      onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    }),
    h('button', { type: 'submit', 'data-testid': 'token-use' }, 'Use token'),
    token
      ? h(
          'button',
          { type: 'button', 'data-testid': 'token-forget', onClick: () => onToken(undefined) },
          'Forget',
        )
      : null,
  );
}
