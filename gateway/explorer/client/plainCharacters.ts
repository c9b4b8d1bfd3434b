/// <reference lib="dom" />
/**
 * Monaco (GraphiQL 5's editor) draws a box around every character it finds confusable with an ASCII one
 * ("ambiguous characters": an en dash could be a hyphen), which is a guard for code. Accord's answers are
 * prose written on purpose with en dashes and typographic quotes ("the KR–KH agreement"), and in the
 * read-only response every such character came out boxed, as if it were an error. This turns that one
 * highlight off in every editor of the page; invisible and invalid characters stay highlighted.
 */
import { useEffect } from 'react';
import { useMonaco } from '@graphiql/react';

export const PLAIN_CHARACTERS = { unicodeHighlight: { ambiguousCharacters: false } } as const;

/** Renders nothing: applies PLAIN_CHARACTERS to the editors GraphiQL has made and will make. */
export function PlainCharacters(): null {
  const monaco = useMonaco((state) => state.monaco);
  useEffect(() => {
    if (monaco === undefined) return undefined;
    for (const editor of monaco.editor.getEditors()) editor.updateOptions(PLAIN_CHARACTERS);
    const listener = monaco.editor.onDidCreateEditor((editor) => {
      // onDidCreateEditor gives the editor before GraphiQL's own options are applied: after them.
      queueMicrotask(() =>
        (editor as { updateOptions(options: object): void }).updateOptions(PLAIN_CHARACTERS),
      );
    });
    return () => listener.dispose();
  }, [monaco]);
  return null;
}
