/**
 * The JSON Schema (draft-07) of agreements/invariants.yaml, built from vocabulary/ like the agreement
 * schemas (policy/agreementSchemas.ts). The published copy, agreements/invariants.schema.json, is written
 * by `npm run policy -- schema` and a test fails when it is stale. Every object has a `title`: the loader
 * names the place of a problem with it.
 */
import { CATEGORIES, LEGAL_BASIS_KINDS, PURPOSES } from '../vocabulary';
import { REQUEST_ITEMS } from './invariants';

export const INVARIANTS_SCHEMA_FILE = 'invariants.schema.json';

const prefixes = [...new Set(CATEGORIES.map((category) => `${category.split('.')[0]!}.*`))];

const list = (items: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items,
});

const defs = {
  country: {
    title: 'country code',
    description: 'ISO 3166-1 alpha-2 code of an alliance member.',
    type: 'string',
    pattern: '^[A-Z]{2}$',
  },
  purpose: { title: 'purpose', enum: [...PURPOSES, 'none'] },
  categoryPattern: {
    title: 'category pattern',
    description: 'A data category, or a family of them: "financial.*".',
    enum: [...CATEGORIES, ...prefixes],
  },
  effect: { title: 'effect', enum: ['release', 'hit-only', 'withhold'] },
  basis: { title: 'legal-basis kind', enum: [...LEGAL_BASIS_KINDS] },
  handlingCode: { title: 'handling code', enum: ['H0', 'H1', 'H2', 'H3'] },
  requestItem: { title: 'request item', enum: [...REQUEST_ITEMS] },
};

export const INVARIANTS_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'invariants',
  description:
    'Invariants the legal team proves of every decision of the finite domain (`npm run policy -- prove`). See legal/invariants.ts for what each key means.',
  type: 'object',
  additionalProperties: false,
  required: ['invariants'],
  properties: {
    invariants: { type: 'array', minItems: 1, items: { $ref: '#/$defs/invariant' } },
  },
  $defs: {
    ...defs,
    invariant: {
      title: 'invariant',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'statement'],
      description:
        'An invariant states `decisions`, `supergraph`, or both (the loader checks that it states one).',
      properties: {
        id: {
          title: 'id',
          description: 'Lower-case letters, digits and dashes.',
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9-]*$',
        },
        statement: { type: 'string', minLength: 1 },
        source: { type: 'string', minLength: 1 },
        decisions: {
          title: 'decisions',
          type: 'object',
          additionalProperties: false,
          required: ['when', 'require'],
          properties: {
            when: {
              title: 'when',
              type: 'object',
              additionalProperties: false,
              properties: {
                owner: list({ $ref: '#/$defs/country' }),
                requester: list({ $ref: '#/$defs/country' }),
                purpose: list({ $ref: '#/$defs/purpose' }),
                category: list({ $ref: '#/$defs/categoryPattern' }),
                effect: list({ $ref: '#/$defs/effect' }),
                basis: list({ $ref: '#/$defs/basis' }),
                handlingCode: list({ $ref: '#/$defs/handlingCode' }),
                clauseNeeds: list({ $ref: '#/$defs/requestItem' }),
              },
            },
            require: {
              title: 'require',
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                effect: list({ $ref: '#/$defs/effect' }),
                basis: list({ $ref: '#/$defs/basis' }),
                category: list({ $ref: '#/$defs/categoryPattern' }),
                notCategory: list({ $ref: '#/$defs/categoryPattern' }),
                requestCarries: list({ $ref: '#/$defs/requestItem' }),
                withinValidity: { const: true },
                requesterIsParty: { const: true },
                domesticGate: { enum: ['allowed'] },
                jointTeam: { enum: ['member-in-scope'] },
                emergencyRunning: { const: true },
                emergencyWithinHours: { type: 'integer', minimum: 1 },
                sourceGrade: { enum: ['at-least-minimum'] },
                obligations: { enum: ['of-determining-clause'] },
                evidentiaryUse: list({ enum: ['forbidden', 'with_consent', 'allowed'] }),
                notifySource: { const: true },
                reviewSet: { const: true },
                kindBounds: { const: true },
                grantCovers: { const: true },
                grantWithinClause: { const: true },
              },
            },
          },
        },
        supergraph: {
          title: 'supergraph',
          type: 'object',
          additionalProperties: false,
          required: ['category', 'returns'],
          properties: {
            category: { $ref: '#/$defs/categoryPattern' },
            returns: list({ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
          },
        },
      },
    },
  },
};

/** The published file's text (stable formatting, so the staleness test compares text). */
export function invariantsSchemaText(): string {
  return `${JSON.stringify(INVARIANTS_SCHEMA, null, 2)}\n`;
}
