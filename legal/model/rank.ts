/**
 * The order in which clauses that cover the same field are tried (docs/domain.md#the-decision): release
 * before hit-only, then the kind of basis, then bilateral before multilateral, then agreement id and
 * clause id.
 */
import type { Agreement, CategoryMode, Clause } from '../../policy/core';
import type { LegalBasisKind } from '../../vocabulary';

const KIND_ORDER: readonly LegalBasisKind[] = [
  'MLAT',
  'EXTRADITION',
  'JIT',
  'INTERPOL_NOTICE',
  'POLICE_COOPERATION',
  'HIT_ONLY',
  'EMERGENCY',
];

export interface Covering {
  readonly agreement: Agreement;
  readonly clause: Clause;
  readonly mode: CategoryMode;
}

function sortKey(item: Covering): readonly (number | string)[] {
  return [
    item.mode === 'release' ? 0 : 1,
    KIND_ORDER.indexOf(item.clause.basis),
    item.agreement.kind === 'bilateral' ? 0 : 1,
    item.agreement.id,
    item.clause.id,
  ];
}

export function ranked(items: readonly Covering[]): Covering[] {
  return [...items].sort((a, b) => {
    const x = sortKey(a);
    const y = sortKey(b);
    for (let i = 0; i < x.length; i++) {
      if (x[i]! < y[i]!) return -1;
      if (x[i]! > y[i]!) return 1;
    }
    return 0;
  });
}
