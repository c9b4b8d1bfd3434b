// The gateway's memos of an operation (gateway/redaction.ts, rewriteMemo.ts, answerWalker.ts; decision
// 0023) through the gateway itself: Apollo Server hands every request with the same text the same parsed
// document, so one question asked by analysts of every member, purpose and declaration, in a seeded order,
// is served from what earlier requesters left with it. Each answer, its errors and the consultation record
// the gateway writes for it must be what the same requester gets for the same question written with one
// comment more (a text of its own: a document parsed anew, that nothing kept can serve). The requesters
// and the records asked for come from the registry and the agreements.
import { MEMBERS } from '../../schema';
import { loadDefaultPolicy } from '../../policy';
import { PURPOSES } from '../../vocabulary';
import { analyst, type GraphQLAnswer } from '../support/alliance';
import { auditedAllianceForSuite, consultedEntries } from '../support/auditedAlliance';
import { sortByJson } from '../support/crossings';
import { shuffled } from '../support/shuffled';

/** One record of every member's, under an alias of its own, with fields of several categories and a nested list. */
const QUESTION = `query Memo($skip: Boolean = false) { ${MEMBERS.map(
  (member) => `${member.code.toLowerCase()}: suspect(id: "${member.code}-SUS-000001") { id fullName
    nationality phones @skip(if: $skip) wantedStatus { wanted } criminalRecord { offence }
    associates { fullName dateOfBirth } }`,
).join(' ')} }`;

/**
 * Every member's analyst: for one purpose with a case, and with a request reference too; for another
 * without a case; and the analysts of the agreements' first joint team, with their team.
 */
function requesters(): Record<string, string>[] {
  const policy = loadDefaultPolicy();
  const [first, second] = PURPOSES;
  const plain = MEMBERS.flatMap((member) => {
    const name = `memo.${member.code.toLowerCase()}`;
    const withCase = { purpose: first, case: `${member.code}-CAS-000001` };
    return [
      analyst(member.code, name, withCase),
      analyst(member.code, name, { ...withCase, 'request-ref': 'FUR-MEMO-1' }),
      analyst(member.code, name, { purpose: second }),
    ];
  });
  const teams = new Map(
    policy.set.agreements.flatMap((a) =>
      a.clauses.flatMap((c) =>
        c.conditions?.jointTeam ? [[c.conditions.jointTeam.id, c.conditions.jointTeam]] : [],
      ),
    ),
  );
  const joint = [...teams.values()].slice(0, 1).flatMap((team) =>
    Object.entries(team.members).map(([country, analysts]) =>
      analyst(country, analysts[0]!, {
        purpose: 'investigation',
        case: `${country}-CAS-000001`,
        jit: team.id,
      }),
    ),
  );
  return [...plain, ...joint];
}

function errorsOf(answer: GraphQLAnswer): unknown[] {
  return sortByJson(
    (answer.body.errors ?? []).map((e) => ({
      message: e.message,
      code: e.extensions?.['code'],
      category: e.extensions?.['category'],
      owner: e.extensions?.['owner'],
      path: e.path,
    })),
  );
}

/** A small seeded generator of numbers in [0, 1) (a linear congruential one): the same orders every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
}

describe('one question asked by every requester in turn, against the same question parsed anew', () => {
  const alliance = auditedAllianceForSuite();

  /** The answer, and the consultation record without what names the request itself (its id, its text's hash). */
  async function ask(query: string, headers: Record<string, string>, variables: Record<string, unknown>) {
    const { answer, requestId } = await alliance.ask(query, headers, variables);
    if (!requestId) throw new Error('a request without its id');
    return { answer, consulted: consultedEntries((await alliance.crossings(requestId)).consultations) };
  }

  it('gives each requester its own answer and consultation record, whoever asked before', async () => {
    const everyone = requesters();
    // The variable that drops a field, on for some requesters and off for others.
    const variablesOf = (i: number) => ({ skip: i % 3 === 0 });
    const answers = new Set<string>();
    // The oracle first: each requester's question with a comment of its own, parsed anew.
    const anew = [];
    for (const [i, headers] of everyone.entries())
      anew.push(await ask(`${QUESTION}\n# ${i}`, headers, variablesOf(i)));
    // Then the one text, twice round in two orders.
    for (const i of [...shuffled(everyone.keys(), seeded(1)), ...shuffled(everyone.keys(), seeded(2))]) {
      const headers = everyone[i]!;
      const kept = await ask(QUESTION, headers, variablesOf(i));
      const oracle = anew[i]!;
      const who = JSON.stringify(headers);
      expect({ who, status: kept.answer.status, data: kept.answer.body.data }).toEqual({
        who,
        status: oracle.answer.status,
        data: oracle.answer.body.data,
      });
      expect({ who, errors: errorsOf(kept.answer) }).toEqual({ who, errors: errorsOf(oracle.answer) });
      expect({ who, accord: kept.answer.body.extensions?.['accord'] }).toEqual({
        who,
        accord: oracle.answer.body.extensions?.['accord'],
      });
      expect({ who, consulted: kept.consulted }).toEqual({ who, consulted: oracle.consulted });
      answers.add(JSON.stringify(kept.answer.body.data));
    }
    // The requesters were not all given the same: the memo had different cuts to confuse.
    expect(answers.size).toBeGreaterThan(2);
  }, 60_000);
});
