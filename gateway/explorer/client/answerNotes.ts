/// <reference lib="dom" />
import { createElement as h, useEffect, type ReactElement } from 'react';
import { useGraphiQL, type MonacoEditor } from '@graphiql/react';
import { useLatestAnswer } from './answerStore';
import { lineOf, pathText, readAnswer, withheldSummary, type Withheld } from './answer';

/**
 * Under the response: each withheld field with its reason and routes, the other errors, and the
 * obligations per owner. In the response itself, each withheld field's line carries its reason beside
 * the null (a Monaco decoration: the answer text stays exactly what the gateway sent).
 */
export function AnswerNotes(): ReactElement | null {
  const answer = useLatestAnswer();
  useWithheldBesideFields();
  if (answer === undefined) return null;
  const { withheld, errors, obligations } = readAnswer(answer);
  return h(
    'div',
    { className: 'accord-notes', 'data-testid': 'answer-notes' },
    withheld.length > 0 &&
      h(
        'section',
        null,
        h('h3', null, `Withheld (${withheld.length})`),
        h('ul', null, ...withheld.map((item, i) => h(WithheldItem, { key: i, item }))),
      ),
    errors.length > 0 &&
      h(
        'section',
        null,
        h('h3', null, 'Errors'),
        h(
          'ul',
          null,
          ...errors.map((error, i) =>
            h(
              'li',
              { key: i, 'data-testid': 'answer-error' },
              h('code', null, error.code ?? 'ERROR'),
              ' ',
              error.path ? `${pathText(error.path)}: ` : '',
              error.message,
            ),
          ),
        ),
      ),
    obligations.length > 0 &&
      h(
        'section',
        null,
        h('h3', null, 'Obligations by owner'),
        h(
          'ul',
          null,
          ...obligations.map((owner) =>
            h(
              'li',
              { key: owner.owner, 'data-testid': 'owner-obligations', 'data-owner': owner.owner },
              h('strong', null, owner.owner),
              h(
                'ul',
                null,
                ...owner.releases.map((release, i) =>
                  h(
                    'li',
                    { key: i },
                    `${[release.title, release.citation].filter(Boolean).join(' ')} (${(release.categories ?? []).join(', ')}): ${obligationsText(release.obligations)}`,
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
  );
}

function WithheldItem({ item }: { item: Withheld }): ReactElement {
  const editor = useGraphiQL((state) => state.responseEditor);
  // The field's place in the answer, shown on a click: the answer may be long, its errors come first.
  const show = (): void => {
    const line = editor ? lineOf(editor.getValue(), item.path) : undefined;
    if (!editor || line === undefined) return;
    editor.revealLineInCenter(line);
    editor.setSelection({
      startLineNumber: line,
      startColumn: 1,
      endLineNumber: line,
      endColumn: editor.getModel()?.getLineMaxColumn(line) ?? 1,
    });
  };
  return h(
    'li',
    { 'data-testid': 'withheld-field', 'data-path': pathText(item.path) },
    h(
      'button',
      { type: 'button', className: 'accord-show-field', title: 'Show it in the answer', onClick: show },
      h('code', null, pathText(item.path)),
    ),
    ` ${item.code}${item.owner ? ` by ${item.owner}` : ''}${item.category ? ` (${item.category})` : ''}: `,
    h('span', { className: 'accord-reason' }, item.reason ?? item.message),
    item.routes.length > 0
      ? h(
          'ul',
          { className: 'accord-routes' },
          ...item.routes.map((route, i) =>
            h(
              'li',
              { key: i, 'data-testid': 'withheld-route' },
              route.text ?? `${route.title ?? ''} ${route.citation ?? ''}`,
            ),
          ),
        )
      : h('div', { className: 'accord-routes' }, 'No agreement route releases more.'),
  );
}

function obligationsText(obligations: Readonly<Record<string, unknown>> | undefined): string {
  if (!obligations) return 'no obligations stated';
  return Object.entries(obligations)
    .map(([name, value]) => `${name} ${String(value)}`)
    .join(', ');
}

type ContentWidget = Parameters<MonacoEditor['addContentWidget']>[0];

/**
 * Beside each withheld field's line in the response, its reason and routes: a Monaco content widget (a
 * note placed after the line's end), so the answer text stays exactly what the gateway sent.
 */
function useWithheldBesideFields(): void {
  const editor = useGraphiQL((state) => state.responseEditor);
  useEffect(() => {
    if (!editor) return undefined;
    let widgets: ContentWidget[] = [];
    const clear = (): void => {
      for (const widget of widgets) editor.removeContentWidget(widget);
      widgets = [];
    };
    const update = (): void => {
      clear();
      const text = editor.getValue();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return;
      }
      const model = editor.getModel();
      readAnswer(body).withheld.forEach((item, i) => {
        const line = lineOf(text, item.path);
        if (line === undefined || !model) return;
        const node = document.createElement('span');
        node.className = 'accord-withheld-inline';
        node.title = item.message;
        node.textContent = `⟵ withheld: ${withheldSummary(item)}`;
        const widget: ContentWidget = {
          getId: () => `accord.withheld.${i}`,
          getDomNode: () => node,
          // Exact: after the line's last character (the `null`), never above or below it.
          getPosition: () => ({
            position: { lineNumber: line, column: model.getLineMaxColumn(line) },
            preference: [0],
          }),
        };
        editor.addContentWidget(widget);
        widgets.push(widget);
      });
    };
    update();
    const changed = editor.onDidChangeModelContent(update);
    return () => {
      changed.dispose();
      clear();
    };
  }, [editor]);
}
