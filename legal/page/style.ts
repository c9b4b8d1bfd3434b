/** The /legal page's style sheet (inline, allowed by hash in the page's Content-Security-Policy). */
export const PAGE_STYLE = `
:root{--release:#d7f5dd;--hit:#fff3c4;--forbidden:#fbdada;--muted:#57606a;--line:#c8ccd0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header{background:#0b3a5b;color:#fff;padding:.75rem 1.25rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.15rem;margin:0}
header .rev{font-family:ui-monospace,monospace;font-size:.8rem;opacity:.85}
nav{display:flex;gap:.25rem;padding:.5rem 1.25rem 0;border-bottom:1px solid var(--line);background:#fff}
nav button{border:1px solid var(--line);border-bottom:none;background:#eef1f4;padding:.4rem .9rem;cursor:pointer;font:inherit;border-radius:4px 4px 0 0}
nav button[aria-selected="true"]{background:#fff;font-weight:600}
section{padding:1rem 1.25rem}
.illustrative{border-left:4px solid #d4a72c;background:#fff8e1;padding:.35rem .75rem;margin:.75rem 1.25rem 0;font-size:.85rem}
.filters,.form{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin-bottom:.75rem}
label{display:flex;flex-direction:column;font-size:.78rem;color:var(--muted);gap:.15rem}
input,select{font:inherit;padding:.25rem .35rem;border:1px solid var(--line);border-radius:3px;min-width:8rem;background:#fff;color:#1b1f24}
button.primary{font:inherit;padding:.35rem 1rem;background:#0b3a5b;color:#fff;border:none;border-radius:3px;cursor:pointer}
table{border-collapse:collapse;margin:.35rem 0 .5rem;background:#fff}
th,td{border:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top;font-size:.8rem}
th{background:#eef1f4;font-weight:600}
td.release{background:var(--release)}td.hit-only{background:var(--hit)}td.withhold{color:var(--muted)}td.forbidden{background:var(--forbidden)}
.pair h3{margin:.9rem 0 .2rem;font-size:1rem}
ol.notes{font-size:.78rem;color:var(--muted);margin:.2rem 0 .8rem;padding-left:1.4rem}
.decision{font-size:1.05rem;font-weight:600;padding:.5rem .75rem;border-radius:4px;margin:.5rem 0}
.decision.release{background:var(--release)}.decision.hit-only{background:var(--hit)}.decision.withhold{background:var(--forbidden)}
ul.clauses{list-style:none;padding:0;margin:.25rem 0}
ul.clauses li{padding:.35rem .5rem;border:1px solid var(--line);border-radius:3px;margin:.25rem 0;background:#fff}
ul.clauses li.applies{border-color:#2da44e}
.failed{color:#a40e26;font-weight:600}
.where{font-family:ui-monospace,monospace;font-size:.75rem;color:var(--muted)}
.error{color:#a40e26;font-weight:600}
.wider{color:#a40e26;font-weight:700}.narrower{color:#1a7f37;font-weight:700}.rebased{color:var(--muted);font-weight:700}
.muted{color:var(--muted)}
h2{font-size:1.05rem;margin:.8rem 0 .3rem}
`;
