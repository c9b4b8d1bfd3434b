/// <reference lib="dom" />
import { createElement as h, useEffect, useState, type ReactElement } from 'react';
import { useGraphiQL } from '@graphiql/react';
import type { GraphiQLPlugin } from '@graphiql/react';
import type { ExplorerVocabulary } from './vocabulary';

/**
 * A GraphiQL plugin for the `Accord-*` headers: each header the analyst may send, what it means, and for
 * the purpose a choice among the purposes with their meaning. It writes into GraphiQL's headers editor
 * (the one place GraphiQL takes headers from), keeping any other header there as it is.
 */
export function accordHeadersPlugin(vocabulary: ExplorerVocabulary): GraphiQLPlugin {
  return {
    title: 'Accord headers',
    icon: () => h('span', { className: 'accord-plugin-icon', 'aria-hidden': true }, 'A'),
    content: () => h(HeadersPanel, { vocabulary }),
  };
}

function readHeaders(text: string | undefined): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text?.trim() ? text : '{}') as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The value of `name` in the headers editor, whatever its case there. */
function valueOf(headers: Record<string, unknown>, name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : '';
}

function HeadersPanel({ vocabulary }: { vocabulary: ExplorerVocabulary }): ReactElement {
  const editor = useGraphiQL((state) => state.headerEditor);
  const [headers, setHeaders] = useState<Record<string, unknown>>(() => readHeaders(editor?.getValue()));
  useEffect(() => {
    if (!editor) return undefined;
    setHeaders(readHeaders(editor.getValue()));
    const subscription = editor.onDidChangeModelContent(() => setHeaders(readHeaders(editor.getValue())));
    return () => subscription.dispose();
  }, [editor]);

  const set = (name: string, value: string): void => {
    const next: Record<string, unknown> = {};
    for (const [key, current] of Object.entries(headers))
      if (key.toLowerCase() !== name.toLowerCase()) next[key] = current;
    if (value.trim()) next[name] = value.trim();
    editor?.setValue(JSON.stringify(next, null, 2));
  };
  const purpose = valueOf(headers, vocabulary.purposeHeader);
  const meaning = vocabulary.purposes.find((p) => p.name === purpose)?.meaning;

  return h(
    'div',
    { className: 'accord-headers', 'data-testid': 'accord-headers' },
    h('div', { className: 'graphiql-doc-explorer-title' }, 'Accord headers'),
    h(
      'p',
      null,
      'Why you ask, sent with every operation. Who you are comes from your token, never from a header.',
    ),
    ...vocabulary.headers.map((header) => {
      const id = `accord-header-${header.name.toLowerCase()}`;
      const control =
        header.name === vocabulary.purposeHeader
          ? h(
              'select',
              {
                id,
                'data-testid': id,
                value: purpose,
                onChange: (event: { target: { value: string } }) => set(header.name, event.target.value),
              },
              h('option', { value: '' }, '(no purpose)'),
              ...vocabulary.purposes.map((p) =>
                h('option', { key: p.name, value: p.name, title: p.meaning }, p.name),
              ),
            )
          : h('input', {
              id,
              'data-testid': id,
              placeholder: header.example,
              value: valueOf(headers, header.name),
              onChange: (event: { target: { value: string } }) => set(header.name, event.target.value),
            });
      return h(
        'div',
        { key: header.name, className: 'accord-header' },
        h('label', { htmlFor: id }, h('code', null, header.name)),
        control,
        h('small', null, header.meaning),
        header.name === vocabulary.purposeHeader && meaning
          ? h(
              'small',
              { className: 'accord-purpose-meaning', 'data-testid': 'purpose-meaning' },
              `${purpose}: ${meaning}`,
            )
          : null,
      );
    }),
    h(
      'details',
      null,
      h('summary', null, 'All purposes'),
      h(
        'dl',
        null,
        ...vocabulary.purposes.flatMap((p) => [
          h('dt', { key: `t-${p.name}` }, h('code', null, p.name)),
          h('dd', { key: `d-${p.name}` }, p.meaning),
        ]),
      ),
    ),
  );
}
