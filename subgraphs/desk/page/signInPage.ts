/**
 * The desk page's sign-in (`GET /desk` from a browser without a valid desk token): a browser cannot add
 * an Authorization header when it opens a page, so the officer pastes a desk token once into this form;
 * `POST /desk/session` checks it as the API would and keeps it in a cookie that only the page reads
 * (subgraphs/desk/deskSession.ts). Self-contained like the desk page: no script, its own style by hash.
 */
import { createHash } from 'node:crypto';
import { DESK_AUDIENCE, DESK_ROLE } from '../../../trust';
import { escapeHtml } from './deskPage';
import { DESK_STYLE } from './style';
import { DESK_SIGN_IN_PATH } from '../deskSession';

/** Like the desk page's, and it may post its form to this server, nowhere else. */
export function signInPageCsp(): string {
  const style = `'sha256-${createHash('sha256').update(DESK_STYLE, 'utf8').digest('base64')}'`;
  return `default-src 'none'; style-src ${style}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

export function renderSignInPage(options: { readonly owner: string; readonly problem?: string }): string {
  const { owner, problem } = options;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Accord — ${escapeHtml(owner)} desk — sign in</title>`,
    `<style>${DESK_STYLE}</style>`,
    '</head><body>',
    `<header><h1>Accord — ${escapeHtml(owner)} desk</h1></header>`,
    '<section id="sign-in">',
    '<h2>Sign in</h2>',
    problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(problem)}</p>`,
    `<p>Paste a desk token of ${escapeHtml(owner)}'s identity provider (audience <span class="mono">${escapeHtml(DESK_AUDIENCE)}</span>, role <span class="mono">${escapeHtml(DESK_ROLE)}</span>). On the machine that runs Accord's demo: <span class="mono">npm run -s token -- --desk --country ${escapeHtml(owner)} --officer &lt;your id&gt;</span>.</p>`,
    `<form method="post" action="${DESK_SIGN_IN_PATH}">`,
    '<label for="token">Desk token</label><br>',
    '<textarea id="token" name="token" rows="6" cols="80" required autocomplete="off" spellcheck="false"></textarea><br>',
    '<button type="submit">Sign in</button>',
    '</form>',
    '<p class="muted">The token is kept in a cookie for this page only, until the token expires or you sign out; the desk API still takes it as Authorization: Bearer.</p>',
    '</section>',
    '</body></html>',
    '',
  ].join('\n');
}
