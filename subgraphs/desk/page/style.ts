/**
 * The desk page's style sheet (inline, allowed by hash in the page's Content-Security-Policy): the look of
 * the gateway's /legal workbench, so a member's officers and legal team read one kind of page.
 */
export const DESK_STYLE = `
:root{--overdue:#fbdada;--approved:#d7f5dd;--waiting:#fff3c4;--muted:#57606a;--line:#c8ccd0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header{background:#0b3a5b;color:#fff;padding:.75rem 1.25rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.15rem;margin:0}
header .who{font-family:ui-monospace,monospace;font-size:.8rem;opacity:.85}
section{padding:1rem 1.25rem}
h2{font-size:1.05rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;margin:.35rem 0 .5rem;background:#fff;width:100%}
th,td{border:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top;font-size:.8rem}
th{background:#eef1f4;font-weight:600}
tr.overdue td{background:var(--overdue)}
.badge{display:inline-block;font-size:.7rem;font-weight:700;padding:0 .35rem;border-radius:3px;border:1px solid var(--line)}
.badge.overdue{background:#a40e26;color:#fff;border-color:#a40e26}
.state-approved,.status-valid{background:var(--approved)}
.state-pending,.state-info-requested{background:var(--waiting)}
.state-refused,.status-revoked,.status-expired{color:var(--muted)}
ol.history{margin:.2rem 0;padding-left:1.2rem;font-size:.78rem}
.mono{font-family:ui-monospace,monospace}
.muted{color:var(--muted)}
details summary{cursor:pointer}
header .sign-out{margin:0 0 0 auto}
.problem{background:var(--overdue);padding:.4rem .6rem;border-radius:3px}
textarea{font-family:ui-monospace,monospace;font-size:.75rem;max-width:100%}
`;
