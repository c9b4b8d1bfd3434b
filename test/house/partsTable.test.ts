// parts.js is the one table of parts (issue 15): lint is built from it, docs/architecture.md shows it. These
// tests keep the three in step: the page shows exactly the table, every folder with code belongs to one
// part, the member folders are the registry's members, and every name and entry the table uses exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEMBERS } from '../../schema';
import { PARTS, renderPartsTable } from '../../parts';

const ROOT = join(__dirname, '..', '..');
const START =
  '<!-- parts table: generated from parts.js (renderPartsTable); edit parts.js, not this table -->\n';
const END = '<!-- end of parts table -->';

/** Folders (relative to the root) that hold TypeScript directly, outside node_modules and data. */
function codeFolders(dir = ROOT, rel = ''): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const own =
    entries.some((entry) => entry.isFile() && entry.name.endsWith('.ts')) && rel !== '' ? [rel] : [];
  const below = entries
    .filter(
      (entry) =>
        entry.isDirectory() &&
        !entry.name.startsWith('.') &&
        !['node_modules', 'data', 'coverage', 'reports', 'artifacts'].includes(entry.name),
    )
    .flatMap((entry) => codeFolders(join(dir, entry.name), rel ? `${rel}/${entry.name}` : entry.name));
  return [...own, ...below];
}

const partOf = (folder: string): string[] =>
  PARTS.filter((part) => part.folders.some((root) => folder === root || folder.startsWith(`${root}/`))).map(
    (part) => part.name,
  );

describe('parts.js', () => {
  it('is the table docs/architecture.md shows', () => {
    const page = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const shown = page.slice(start + START.length, end);
    if (shown !== renderPartsTable()) {
      throw new Error(
        `docs/architecture.md "The parts" is not parts.js's table; put this between its markers:\n\n${renderPartsTable()}`,
      );
    }
  });

  it('gives every folder with code exactly one part', () => {
    const folders = codeFolders();
    expect(folders.length).toBeGreaterThan(10);
    const misplaced = folders
      .map((folder) => ({ folder, parts: partOf(folder) }))
      .filter(({ parts }) => parts.length !== 1);
    expect(misplaced).toEqual([]);
  });

  it("has one member folder per member of the registry, and the registry's members only", () => {
    const members = PARTS.find((part) => part.name === 'members')!;
    expect([...members.folders].sort()).toEqual(
      MEMBERS.map((member) => `subgraphs/${member.code.toLowerCase()}`).sort(),
    );
  });

  it('names only parts it defines, and entry files that exist', () => {
    const names = new Set(PARTS.map((part) => part.name));
    expect(names.size).toBe(PARTS.length);
    for (const part of PARTS) {
      if (part.imports !== '*')
        expect(part.imports.filter((name) => !names.has(name) || name === part.name)).toEqual([]);
      const entries = part.entries === '*' ? [] : (part.entries ?? ['index.ts']);
      const missing = part.folders
        .flatMap((folder) => entries.map((entry) => join(folder, entry)))
        .filter((file) => !existsSync(join(ROOT, file)));
      expect(missing).toEqual([]);
    }
  });
});
