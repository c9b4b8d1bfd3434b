/**
 * The /legal page without a browser: the handlers legalRoutes gives the gateway, the page's
 * self-containment (no external resource, strict Content-Security-Policy), the static build, and the
 * revisions it offers from git history.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGREEMENTS_DIR, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { readCommittedSupergraph } from '../../schema';
import { pageData, readFieldCatalog, revisionsForPage } from '../../legal';
import { cli, serveWorkbench, TODAY, type ServedWorkbench } from './support';

const policy = loadDefaultPolicy();

describe('legalRoutes', () => {
  let served: ServedWorkbench;
  let base: string;
  let headers: Record<string, string>;
  beforeAll(async () => {
    served = await serveWorkbench({
      policy,
      supergraphSdl: readCommittedSupergraph(),
      history: 0,
      now: () => TODAY,
    });
    expect(Object.keys(served.workbench.routes).sort()).toEqual([
      '/legal',
      '/legal/',
      '/legal/matrix.csv',
      '/legal/matrix.md',
    ]);
    base = served.base;
    headers = { authorization: `Bearer ${await served.legalToken()}` };
  });
  afterAll(async () => served?.close());

  test('GET /legal: one self-contained document, a strict CSP, the live set embedded', async () => {
    const response = await fetch(`${base}/legal`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    const html = await response.text();
    expect(html).toContain(policy.revision);
    expect(html).toContain('"file":"agreements/instruments/kr-kh-mlat-2021.yaml"');
    // Nothing loaded from elsewhere: no src/href attributes, no absolute URL in the markup around the script.
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html.replace(/<script>[\s\S]*<\/script>/, '')).not.toMatch(/https?:\/\//);
    expect(html).not.toContain(DEFAULT_AGREEMENTS_DIR);
    // The first request waits for the whole build (every pair, field and purpose of the set, in a worker
    // process), which grows with the members: seen taking over 30 s on a loaded 2-core machine.
  }, 120_000);

  test('GET /legal/matrix.csv and .md: the live matrix', async () => {
    const csv = await fetch(`${base}/legal/matrix.csv`, { headers });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^requester,owner,field,category,purpose,effect/);
    expect(text).toContain('KR,KH,KHSuspect.passportNumbers,person.identity,investigation,release,');
    expect(await (await fetch(`${base}/legal/matrix.md`, { headers })).text()).toContain(
      '## KH data → KR analyst',
    );
  });
});

describe('the page as static files', () => {
  test('npm run policy -- page --out DIR writes one index.html that needs no server', () => {
    const out = mkdtempSync(join(tmpdir(), 'accord-legal-page-'));
    try {
      const run = cli(['page', '--out', out, '--history', '0', '--at', '2026-06-01']);
      expect(run.status).toBe(0);
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).toMatch(
        /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/,
      );
      expect(html).toContain('"at":"2026-06-01"');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('the revisions offered: the set in force and the commits that changed its folder, each set once', () => {
    const repo = mkdtempSync(join(tmpdir(), 'accord-legal-history-'));
    try {
      const git = (...args: string[]) =>
        execFileSync(
          'git',
          [
            '-c',
            'user.name=Legal Test',
            '-c',
            'user.email=legal@example.invalid',
            '-c',
            'commit.gpgsign=false',
            ...args,
          ],
          { cwd: repo, stdio: 'pipe' },
        );
      git('init', '-q');
      const dir = join(repo, 'agreements');
      cpSync(DEFAULT_AGREEMENTS_DIR, dir, { recursive: true, filter: (source) => !source.endsWith('.ts') });
      git('add', '.');
      git('commit', '-q', '-m', 'scenario');
      const mou = join(dir, 'instruments', 'kr-th-police-mou-2019.yaml');
      writeFileSync(mou, readFileSync(mou, 'utf8').replace('retentionDays: 730', 'retentionDays: 365'));
      git('commit', '-q', '-am', 'shorter retention');
      const { revisions, notes } = revisionsForPage({
        current: loadAgreementSet(dir),
        currentLabel: 'in force',
        agreementsDir: dir,
        history: 5,
      });
      expect(notes).toEqual([]);
      expect(revisions.map((revision) => revision.label)).toEqual([
        expect.stringMatching(/^in force = [0-9a-f]{7,} \d{4}-\d{2}-\d{2} shorter retention$/),
        expect.stringMatching(/^[0-9a-f]{7,} \d{4}-\d{2}-\d{2} scenario$/),
      ]);
      // Source files of a past revision read as "<commit>:agreements/…", never as the temporary folder it was loaded from.
      const data = pageData({ revisions, fields: readFieldCatalog(readCommittedSupergraph()), at: TODAY });
      expect(data.revisions[0]!.set.agreements[0]!.source.file).toBe(
        'agreements/instruments/alliance-emergency-2025.yaml',
      );
      expect(data.revisions[1]!.set.agreements[0]!.source.file).toMatch(
        /^[0-9a-f]{7,}:agreements\/instruments\/alliance-emergency-2025\.yaml$/,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
