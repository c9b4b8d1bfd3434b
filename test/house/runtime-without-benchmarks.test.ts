// Benchmarks live in bench/ (issue 15): the parts that run export none, so that a part's public surface is
// what the running system uses, and measuring code is neither loaded by it nor mistaken for an API. The
// parts that run are every part of parts.js other parts may import (bench, test and scripts have no entry).
// What counts as a benchmark: a file or exported name with the word "bench" in it (benchmark.ts,
// AppendBenchOptions; not legal's workbench), or an export named measure….
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { PARTS } from '../../parts';

const ROOT = join(__dirname, '..', '..');
const BENCHMARK_NAME = /(^|[-_.])bench|Bench|^measure[A-Z]/;

const runningParts = PARTS.filter((part) => !(Array.isArray(part.entries) && part.entries.length === 0));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The names a module exports, read from its syntax; `export *` is reported as such (it hides them). */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause) names.push('export *');
      else if (ts.isNamedExports(statement.exportClause))
        names.push(...statement.exportClause.elements.map((element) => element.name.text));
      else names.push(statement.exportClause.name.text);
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      names.push('default');
      continue;
    }
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.push(statement.name.text);
    }
  }
  return names;
}

describe('the parts that run', () => {
  it('are known: parts.js names some, and the benchmarks part is not one of them', () => {
    expect(runningParts.length).toBeGreaterThan(5);
    expect(runningParts.map((part) => part.name)).not.toContain('bench');
  });

  it('hold no benchmark file', () => {
    const files = runningParts
      .flatMap((part) => part.folders.flatMap((folder) => tsFiles(join(ROOT, folder))))
      .map((file) => relative(ROOT, file))
      .filter((file) => BENCHMARK_NAME.test(file.split('/').pop()!));
    expect(files).toEqual([]);
  });

  it('export no benchmark through their entry points', () => {
    const offending: string[] = [];
    for (const part of runningParts) {
      for (const folder of part.folders) {
        const entries =
          part.entries === '*'
            ? tsFiles(join(ROOT, folder))
            : (part.entries ?? ['index.ts']).map((entry) => join(ROOT, folder, entry));
        for (const entry of entries)
          for (const name of exportedNames(entry))
            if (BENCHMARK_NAME.test(name) || name === 'export *')
              offending.push(`${relative(ROOT, entry)}: ${name}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
