/**
 * The kinds of identifier a watch may name (alerts/identifiers.ts says how each is written and
 * normalised). Here, apart from that code, so that a client (the `accord` command) checks a kind against
 * the list the alert API's IdentifierKind enum is built from, without carrying the normalisation.
 */
export const IDENTIFIER_KINDS = ['passport', 'document', 'phone', 'account', 'messenger', 'record'] as const;
