// The record-ids pair of the gateway pipeline (gateway/pipeline.ts, gateway/recordIds.ts): every record's
// id is asked for under an alias of the gateway's; the restore learns which records the answer holds
// (their hit tokens go to the analyst), names them in the consultation with the audit on, and takes the
// ids out of the answer.
import { MEMBERS } from '../../schema';
import { Consultation } from '../../gateway/consultation';
import { restoreOne, rewrite, rewriteOne, type Answer } from '../../gateway/pipeline';
import { analyst, apiSchema, printed, request } from './pipelineSupport';

const [A] = MEMBERS.map((member) => member.code) as [string];

const SOURCE = `{ case(id: "${A}-CAS-000001") { caseNumber suspects { fullName } } }`;

it('asks for every record’s id under an alias of its own', async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { recordIds } = rewriteOne('recordIds', req, req.document);
  expect(recordIds!.alias).toBe('_accordRecordId');
  expect(printed(recordIds!.document)).toBe(`{
  case(id: "${A}-CAS-000001") {
    caseNumber
    suspects {
      fullName
      _accordRecordId: id
    }
    _accordRecordId: id
  }
}`);
});

function answer(): Answer {
  return {
    data: {
      case: {
        __typename: `${A}Case`,
        caseNumber: 'N-1',
        _accordRecordId: `${A}-CAS-000001`,
        suspects: [{ __typename: `${A}Suspect`, fullName: 'One', _accordRecordId: `${A}-SUS-000002` }],
      },
    },
    errors: [],
    inAnswer: new Set(),
  };
}

const WITHOUT_IDS = {
  case: {
    __typename: `${A}Case`,
    caseNumber: 'N-1',
    suspects: [{ __typename: `${A}Suspect`, fullName: 'One' }],
  },
};

it('notes the records the answer holds and takes the ids out (audit off)', async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { rewritten } = rewrite(req);
  const restored = answer();
  restoreOne('recordIds', req, rewritten, restored);
  expect(restored.data).toEqual(WITHOUT_IDS);
  expect([...restored.inAnswer].sort()).toEqual([`${A}-CAS-000001`, `${A}-SUS-000002`]);
});

it('names every field’s record by its id in the consultation (audit on)', async () => {
  const api = await apiSchema();
  const consultation = new Consultation();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation'), consultation });
  const { rewritten } = rewrite(req);
  const restored = answer();
  restoreOne('recordIds', req, rewritten, restored);
  expect(restored.data).toEqual(WITHOUT_IDS);
  expect([...consultation.entries.keys()]).toEqual([A]);
  expect(consultation.entries.get(A)!.map((e) => [e.path, e.record, e.category])).toEqual([
    ['case.caseNumber', `${A}-CAS-000001`, 'case.reference'],
    ['case.suspects', `${A}-CAS-000001`, 'case.summary'],
    ['case.suspects.0.fullName', `${A}-SUS-000002`, 'person.identity'],
  ]);
});
