/**
 * One parsed YAML file of the agreement set, able to say on which line a value (or its key) was written,
 * so every problem names file and line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from './AgreementSetError';

export type PathSegment = string | number;

export class YamlSource {
  readonly file: string;
  /** The parsed value; undefined when the file has syntax errors (see `syntaxProblems`). */
  readonly value: unknown;
  readonly syntaxProblems: readonly Problem[];
  private readonly document: Document;
  private readonly lineCounter: LineCounter;

  constructor(file: string, text: string) {
    this.file = file;
    this.lineCounter = new LineCounter();
    // YAML 1.2 core schema: dates stay strings, and "NO" is not a boolean.
    this.document = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    });
    this.syntaxProblems = this.document.errors.map((error) => ({
      file,
      line: this.lineAt(error.pos[0]),
      message: `YAML syntax: ${error.message.split('\n')[0] ?? error.code}`,
    }));
    this.value = this.syntaxProblems.length === 0 ? (this.document.toJS() as unknown) : undefined;
  }

  problem(path: readonly PathSegment[], message: string, options: { key?: boolean } = {}): Problem {
    return { file: this.file, line: this.lineOf(path, options.key ?? false), message };
  }

  /** Line of the node at `path` (of its key when `key`), or of the deepest ancestor that exists. */
  lineOf(path: readonly PathSegment[], key = false): number {
    let node: unknown = this.document.contents;
    let line = node !== null && hasRange(node) ? this.lineAt(node.range[0]) : 1;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) return line;
        if (last && key && hasRange(pair.key)) return this.lineAt(pair.key.range[0]);
        node = pair.value;
        if (hasRange(pair.key)) line = this.lineAt(pair.key.range[0]);
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) return line;
      } else {
        return line;
      }
      if (hasRange(node)) line = this.lineAt(node.range[0]);
    }
    return line;
  }

  private lineAt(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }
}

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}
