/**
 * The JSON Schemas (draft-07, the draft editors' YAML tooling supports best) of the agreement set's files.
 * The enums come from vocabulary/, so the published copies in agreements/*.schema.json are generated from
 * here (`npx tsx policy/cli.ts schemas`) and a test fails when they are stale.
 *
 * Every object schema has a `title`: the loader uses it to name the place of a problem ("unknown field
 * 'conditons' in clause"). Cross-file and cross-field rules (known parties, unique ids, date order, the
 * invariants a clause must keep) are in policy/crossCheck.ts, not here.
 */
import { CATEGORIES, LEGAL_BASIS_KINDS, META_REFERENCE, NOTICE_COLOURS, PURPOSES } from '../vocabulary';
import { SOURCE_GRADES } from './sourceGrades';

type JsonSchema = Readonly<Record<string, unknown>>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';

const ILLUSTRATIVE =
  'Statement of status shown to readers, e.g. "ILLUSTRATIVE: clause contents are a plausible model, not legal advice."';

const commonDefs = {
  country: {
    title: 'country code',
    description: 'ISO 3166-1 alpha-2 code of an alliance member (agreements/members.yaml).',
    type: 'string',
    pattern: '^[A-Z]{2}$',
  },
  date: {
    title: 'date',
    description: 'ISO 8601 calendar date, YYYY-MM-DD, read as a UTC day.',
    type: 'string',
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  },
  id: {
    title: 'id',
    description: 'Lower-case letters, digits, dots and dashes.',
    type: 'string',
    pattern: '^[a-z0-9][a-z0-9.-]*$',
  },
  citation: {
    title: 'citation',
    description: 'Where the rule comes from: instrument and article, e.g. "art. 1(4)(b)".',
    type: 'string',
    minLength: 1,
  },
  text: { title: 'text', type: 'string', minLength: 1 },
  purpose: { title: 'purpose', enum: [...PURPOSES] },
  basis: { title: 'legal-basis kind', enum: [...LEGAL_BASIS_KINDS] },
} as const;

const mode = { title: 'category mode', enum: ['release', 'hit-only'] } as const;
const usePermission = { title: 'use permission', enum: ['forbidden', 'with_consent', 'allowed'] } as const;

const countries = {
  type: 'array',
  items: { $ref: '#/$defs/country' },
  minItems: 1,
  uniqueItems: true,
} as const;

/** Categories a clause can name: all but meta.reference, which goes wherever any category goes. */
const clauseCategories = Object.fromEntries(
  CATEGORIES.filter((category) => category !== META_REFERENCE).map((category) => [
    category,
    { $ref: '#/$defs/mode' },
  ]),
);

export const AGREEMENT_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  title: 'agreement',
  description:
    'One instrument between alliance members and the clauses Accord enforces from it. One file per instrument in agreements/instruments/.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'kind', 'parties', 'instrument', 'inForce', 'clauses'],
  properties: {
    id: { $ref: '#/$defs/id' },
    title: { $ref: '#/$defs/text' },
    disclaimer: { type: 'string', description: ILLUSTRATIVE },
    kind: { title: 'agreement kind', enum: ['bilateral', 'multilateral'] },
    parties: countries,
    instrument: {
      title: 'instrument',
      type: 'object',
      additionalProperties: false,
      required: ['citation'],
      properties: {
        citation: { $ref: '#/$defs/citation' },
        signed: { $ref: '#/$defs/date' },
        basedOn: { type: 'array', items: { $ref: '#/$defs/citation' } },
      },
    },
    inForce: {
      title: 'inForce',
      type: 'object',
      additionalProperties: false,
      required: ['from'],
      properties: { from: { $ref: '#/$defs/date' }, until: { $ref: '#/$defs/date' } },
    },
    clauses: { type: 'array', minItems: 1, items: { $ref: '#/$defs/clause' } },
    requestDeadlines: {
      title: 'requestDeadlines',
      description:
        'When the requested party should decide a formal follow-up request, when this agreement sets other times than Directive (EU) 2023/977 art. 5 (8 hours urgent with direct access, 3 days urgent, 7 days otherwise).',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        urgentDirectHours: { title: 'urgentDirectHours', type: 'integer', minimum: 1, maximum: 72 },
        urgentDays: { title: 'urgentDays', type: 'integer', minimum: 1, maximum: 30 },
        normalDays: { title: 'normalDays', type: 'integer', minimum: 1, maximum: 90 },
      },
    },
  },
  $defs: {
    ...commonDefs,
    mode,
    usePermission,
    clause: {
      title: 'clause',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'citation', 'basis', 'purposes', 'categories', 'direction', 'obligations'],
      properties: {
        id: { $ref: '#/$defs/id' },
        citation: { $ref: '#/$defs/citation' },
        summary: { type: 'string' },
        basis: { $ref: '#/$defs/basis' },
        purposes: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: '#/$defs/purpose' } },
        categories: {
          title: 'categories',
          description:
            'Data category → release | hit-only. meta.reference is implied and must not be listed.',
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: clauseCategories,
        },
        direction: {
          title: 'direction',
          description:
            "Whose data may go to whom: 'both' (any party to any other party) or { from: [...], to: [...] }.",
          anyOf: [
            { const: 'both' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['from', 'to'],
              properties: { from: countries, to: countries },
            },
          ],
        },
        conditions: { $ref: '#/$defs/conditions' },
        obligations: { $ref: '#/$defs/obligations' },
      },
    },
    conditions: {
      title: 'conditions',
      type: 'object',
      additionalProperties: false,
      properties: {
        caseReference: { type: 'boolean' },
        requestReference: { type: 'boolean' },
        warrantReference: { type: 'boolean', description: 'A warrant or judicial order reference.' },
        interpolNotice: { type: 'boolean' },
        noticeColours: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { title: 'notice colour', enum: [...NOTICE_COLOURS] },
          description:
            'With interpolNotice: the colours of INTERPOL notice the clause accepts; each purpose of the clause must be one a colour serves, and each colour must serve one of its purposes. A request meets the clause only with a notice whose colour serves the purpose it declares.',
        },
        jointTeam: { $ref: '#/$defs/jointTeam' },
        emergency: {
          title: 'emergency',
          type: 'object',
          additionalProperties: false,
          required: ['maxDurationHours'],
          properties: {
            maxDurationHours: {
              type: 'integer',
              minimum: 1,
              maximum: 24,
              description:
                'An emergency declaration expires this long after it was made (docs/domain.md: at most 24 h).',
            },
          },
        },
        minimumSourceGrade: { title: 'source grade', enum: [...SOURCE_GRADES] },
      },
    },
    jointTeam: {
      title: 'jointTeam',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'members', 'operation', 'validFrom', 'validUntil'],
      properties: {
        id: { $ref: '#/$defs/text' },
        members: {
          title: 'members',
          description: 'Member analysts by country: { KR: [kim.j], KH: [sok.r] }.',
          type: 'object',
          minProperties: 1,
          propertyNames: { $ref: '#/$defs/country' },
          additionalProperties: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { $ref: '#/$defs/text' },
          },
        },
        operation: { $ref: '#/$defs/text' },
        validFrom: { $ref: '#/$defs/date' },
        validUntil: { $ref: '#/$defs/date' },
      },
    },
    obligations: {
      title: 'obligations',
      type: 'object',
      additionalProperties: false,
      required: ['handlingCode', 'onwardTransfer', 'evidentiaryUse', 'retentionDays', 'notifySource'],
      properties: {
        handlingCode: { title: 'handling code', enum: ['H0', 'H1', 'H2', 'H3'] },
        onwardTransfer: { $ref: '#/$defs/usePermission' },
        evidentiaryUse: { $ref: '#/$defs/usePermission' },
        retentionDays: { type: 'integer', minimum: 1 },
        notifySource: { type: 'boolean' },
        reviewWithinHours: { type: 'integer', minimum: 1 },
      },
    },
  },
};

const gateGround = {
  title: 'gate ground',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'citation'],
  properties: {
    id: { $ref: '#/$defs/id' },
    citation: { $ref: '#/$defs/citation' },
    summary: { type: 'string' },
    bases: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: '#/$defs/basis' } },
    purposes: { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: '#/$defs/purpose' } },
  },
} as const;

export const DOMESTIC_GATE_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  title: 'domestic gate',
  description:
    "An owner country's domestic release gate (the second key): its data crosses a border only if one ground and every requirement match the transfer's legal-basis kind and purpose. One file per owner in agreements/domestic/.",
  type: 'object',
  additionalProperties: false,
  required: ['owner', 'title', 'law', 'grounds'],
  properties: {
    owner: { $ref: '#/$defs/country' },
    title: { $ref: '#/$defs/text' },
    law: { $ref: '#/$defs/citation' },
    disclaimer: { type: 'string', description: ILLUSTRATIVE },
    grounds: { type: 'array', minItems: 1, items: { $ref: '#/$defs/ground' } },
    requirements: { type: 'array', items: { $ref: '#/$defs/ground' } },
  },
  $defs: { ...commonDefs, ground: gateGround },
};

export const MEMBERS_SCHEMA: JsonSchema = {
  $schema: DRAFT,
  title: 'members',
  description:
    'The alliance members agreements may name (keep in step with schema/members.ts; a test checks it).',
  type: 'object',
  additionalProperties: false,
  required: ['members'],
  properties: {
    members: {
      type: 'array',
      minItems: 1,
      items: {
        title: 'member',
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'domesticGate'],
        properties: {
          code: { $ref: '#/$defs/country' },
          name: { $ref: '#/$defs/text' },
          domesticGate: {
            title: 'domestic gate requirement',
            description: "'required': the set is refused without this member's gate in agreements/domestic/.",
            enum: ['required', 'optional'],
          },
          desk: {
            title: 'desk',
            description: "How the member's desk decides formal requests about its records.",
            type: 'object',
            additionalProperties: false,
            properties: {
              twoApproverCategories: {
                title: 'two-approver categories',
                description:
                  'Categories the member holds sensitive: approving a request for any of them takes two different desk officers.',
                type: 'array',
                uniqueItems: true,
                items: {
                  title: 'category',
                  enum: CATEGORIES.filter((category) => category !== META_REFERENCE),
                },
              },
            },
          },
        },
      },
    },
  },
  $defs: { country: commonDefs.country, text: commonDefs.text },
};

/** The published copies, by file name in agreements/. */
export const SCHEMA_FILES: Readonly<Record<string, JsonSchema>> = {
  'agreement.schema.json': AGREEMENT_SCHEMA,
  'domestic-gate.schema.json': DOMESTIC_GATE_SCHEMA,
  'members.schema.json': MEMBERS_SCHEMA,
};
