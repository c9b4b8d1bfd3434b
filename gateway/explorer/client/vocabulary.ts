/// <reference lib="dom" />
/**
 * The words the page explains, embedded by the gateway in the page as JSON (gateway/explorer/page.ts):
 * the `Accord-*` headers an analyst sends and the purposes, each with its meaning. Not data: the same for
 * every analyst, and derived on the server from policy/ and vocabulary/.
 */
export interface ExplorerVocabulary {
  readonly headers: readonly { readonly name: string; readonly meaning: string; readonly example: string }[];
  readonly purposes: readonly { readonly name: string; readonly meaning: string }[];
  /** The header that carries the purpose (`Accord-Purpose`). */
  readonly purposeHeader: string;
}

export const VOCABULARY_ELEMENT_ID = 'accord-explorer-vocabulary';

export function readVocabulary(): ExplorerVocabulary {
  const text = document.getElementById(VOCABULARY_ELEMENT_ID)?.textContent ?? '';
  return JSON.parse(text) as ExplorerVocabulary;
}
