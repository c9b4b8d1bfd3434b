// The order of gateway/pipeline.ts's one list, pinned by what each misplacement would do to the analyst's
// answer and to the audit: the whole pipeline, rewrites then restores, on the API schema of the committed
// supergraph, the members' answers written by hand.
import { MEMBERS } from '../../schema';
import { Consultation } from '../../gateway/consultation';
import { PIPELINE, restore, rewrite, type Answer } from '../../gateway/pipeline';
import { ABSENCE } from '../../gateway/recordPresence';
import { analyst, apiSchema, fieldCutForRequester, request } from './pipelineSupport';

const [A, B] = MEMBERS.map((member) => member.code) as [string, string];

it('rewrites with every pair, then restores with every pair, each once', () => {
  const rewrites = PIPELINE.filter((e) => e.phase === 'rewrite').map((e) => e.step.pair);
  const restores = PIPELINE.filter((e) => e.phase === 'restore').map((e) => e.step.pair);
  expect([...rewrites].sort()).toEqual(['presence', 'recordIds', 'redaction', 'typenames']);
  expect([...restores].sort()).toEqual(['presence', 'recordIds', 'redaction', 'typenames']);
  expect(PIPELINE.findIndex((e) => e.phase === 'restore')).toBe(rewrites.length);
});

it('restores the redactions while the __typenames still tell whose record an object is', async () => {
  const api = await apiSchema();
  const cut = fieldCutForRequester(api);
  if (!cut) throw new Error('the agreements withhold no field whatever the record: nothing to cut');
  const { requester, owner, field } = cut;
  const id = `${owner}-SUS-000001`;
  // Selected on the interface: the gateway splits it per member's type, and reads the type from __typename.
  const req = request(api, `{ suspect(id: "${id}") { id ${field} } }`, { requester });
  const { rewritten } = rewrite(req);
  const answer: Answer = {
    data: { suspect: { __typename: `${owner}Suspect`, id, _accordPresent: owner, _accordRecordId: id } },
    errors: [],
    inAnswer: new Set(),
  };
  restore(req, rewritten, answer);
  expect(answer.data).toEqual({ suspect: { id, [field]: null } });
  expect(answer.errors.map((e) => [e.path, e.extensions['owner']])).toEqual([[['suspect', field], owner]]);
  expect([...answer.inAnswer]).toEqual([id]);
});

it('takes out the records no owner confirmed before their ids are read: no hit token, no consultation entry', async () => {
  const api = await apiSchema();
  const consultation = new Consultation();
  const req = request(api, `{ case(id: "${A}-CAS-000001") { suspects { fullName } } }`, {
    requester: analyst(A, 'investigation'),
    consultation,
  });
  const { rewritten } = rewrite(req);
  const answer: Answer = {
    data: {
      case: {
        __typename: `${A}Case`,
        _accordPresent: A,
        _accordRecordId: `${A}-CAS-000001`,
        suspects: [
          {
            __typename: `${A}Suspect`,
            fullName: 'One',
            _accordPresent: A,
            _accordRecordId: `${A}-SUS-000002`,
          },
          {
            __typename: `${B}Suspect`,
            fullName: null,
            _accordPresent: ABSENCE.notFound,
            _accordRecordId: `${B}-SUS-000003`,
          },
        ],
      },
    },
    errors: [],
    inAnswer: new Set(),
  };
  restore(req, rewritten, answer);
  expect(answer.data).toEqual({ case: { suspects: [{ fullName: 'One' }] } });
  expect([...answer.inAnswer].sort()).toEqual([`${A}-CAS-000001`, `${A}-SUS-000002`]);
  const named = [...consultation.entries.values()].flat().map((e) => [e.path, e.record]);
  expect(named).toEqual([
    ['case.suspects', `${A}-CAS-000001`],
    ['case.suspects.0.fullName', `${A}-SUS-000002`],
  ]);
});
