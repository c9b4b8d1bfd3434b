/**
 * Proves invariants (legal/invariants.ts, agreements/invariants.yaml) by asking the engine every question
 * legal/proveQuestions.ts builds from the domain and the set's data (not from the engine's clauses), and
 * checking each answer with legal/invariants.ts (which shares no code with policy/). An invariant whose
 * rule selects no decision, or whose field rule sees no field, proves nothing: it is reported VACUOUS,
 * and fails the proof like a broken one. On failure: counterexamples, each a concrete request, the
 * decision it got, the clause that decided it (file and line) and the requirement it breaks.
 *
 * Every answer is also compared with the reference model (legal/model/, the comparison of
 * legal/model/compare.ts that the differential test uses too): a wrong answer that breaks no invariant (a
 * hit ranked before a release, one purpose read as another, an `until` off by a day) is a disagreement,
 * reported like a counterexample with the engine's and the model's answers. The model decides on the set
 * read from the agreement files by legal/readReferenceSet.ts, not on the one the engine's loader produced,
 * and the questions are built from that set too: a loader that changes the data (a day more of retention)
 * disagrees with the model instead of fooling both.
 *
 * A set only exercises the paths of the engine its clauses use: a bug on another path (a gate requirement
 * skipped for emergencies, where no gate of the set has a requirement that excludes them) passes every
 * question the set gives rise to. So every proof also runs the engine's self-check: the same engine code,
 * compiled from the built-in coverage set (legal/coverage-set/, a small set written to use every path:
 * legal/coverage-set/README.md says which clause exercises what), asked every question that set gives rise
 * to, held to the reference model and to the invariants of legal/coverage-set/invariants.yaml, and every kind
 * of condition the agreement schema knows must have been met and missed with an effect on some answer
 * (legal/conditionReach.ts). Any failure there fails the proof, whatever set is proven.
 */
import { join } from 'node:path';
import { compilePolicy } from '../policy/core';
import type {
  AgreementSet,
  ClauseRef,
  Decision,
  DecisionInput,
  Policy,
  SourceLocation,
} from '../policy/core';
import { loadAgreementSet } from '../policy';
import { ConditionTally, type ConditionReach } from './conditionReach';
import type { FieldCatalog } from './fields';
import { broken, brokenFields, fieldsOf, matches, type Determining, type Invariant } from './invariants';
import { invariantsFileOf, loadInvariants } from './loadInvariants';
import { answerOf, disagreement, modelDecide, type ModelAnswer, type ModelQuestion } from './model';
import { modelQuestionOf } from './modelQuestion';
import { questionsOf } from './proveQuestions';
import { describeQuestion } from './describeQuestion';
import { readReferenceSet, type ReferenceSet } from './readReferenceSet';

export interface Counterexample {
  readonly input: DecisionInput;
  readonly text: string;
  readonly decision: Pick<Decision, 'effect' | 'reason' | 'obligations'>;
  /** The clause that decided it (the one that breaks the invariant), when one did. */
  readonly clause?: ClauseRef & { readonly source: SourceLocation };
  readonly violation: string;
}

export interface InvariantResult {
  readonly invariant: Invariant;
  readonly holds: boolean;
  /** True when it selected no decision (or saw no field): nothing was proven. */
  readonly vacuous: boolean;
  /** Decisions checked, and how many of them `when` selected. */
  readonly checked: number;
  readonly matched: number;
  /** Decisions that broke it. */
  readonly violations: number;
  /** Up to `maxCounterexamples`, each a different (clause, violation). */
  readonly counterexamples: readonly Counterexample[];
  /** Supergraph fields that break it; `fields` is how many fields it spoke about (undefined: not checked). */
  readonly brokenFields: readonly { coordinate: string; text: string }[];
  readonly fields?: number;
}

/** A question on which the engine and the reference model answer differently. */
export interface Disagreement {
  readonly input: DecisionInput;
  readonly text: string;
  readonly engine: ModelAnswer;
  readonly model: ModelAnswer;
  /** The clause the engine cited, and the one the model did (each where the set it decided on wrote it). */
  readonly clause?: ClauseRef & { readonly source: SourceLocation };
  readonly modelClause?: ClauseRef & { readonly source: SourceLocation };
  /** The first aspect in which they differ, in words. */
  readonly violation: string;
}

/** The engine's answers compared with the reference model's (legal/model/). */
export interface ModelAgreement {
  readonly holds: boolean;
  /** True when no decision was compared: nothing was shown. */
  readonly vacuous: boolean;
  readonly checked: number;
  readonly disagreements: number;
  /** Up to `maxCounterexamples`, each a different (clauses, difference). */
  readonly counterexamples: readonly Disagreement[];
}

/** The engine's self-check on the built-in coverage set (legal/coverage-set/). */
export interface SelfCheck {
  /** The coverage set's folder and revision. */
  readonly dir: string;
  readonly revision: string;
  readonly holds: boolean;
  readonly questions: number;
  /** The invariants of the coverage set's own invariants.yaml, on its questions. */
  readonly results: readonly InvariantResult[];
  readonly model: ModelAgreement;
  /** Per kind of condition of the agreement schema: met and missed with an effect on an answer. */
  readonly conditions: readonly ConditionReach[];
}

export interface Proof {
  readonly revision: string;
  /** The proof holds only when the set's invariants, the model comparison and the self-check all hold. */
  readonly holds: boolean;
  readonly results: readonly InvariantResult[];
  readonly model: ModelAgreement;
  readonly questions: number;
  readonly selfCheck: SelfCheck;
}

/** The built-in coverage set the engine's self-check runs on. */
export const COVERAGE_DIR = join(__dirname, 'coverage-set');

export interface ProveOptions {
  readonly fields?: FieldCatalog;
  readonly maxCounterexamples?: number;
  /**
   * The set the reference model decides on and the questions are built from; by default read from the
   * files of the folder the engine's set came from (`policy.set.dir`), never taken from the engine.
   */
  readonly reference?: ReferenceSet;
  /**
   * How the engine under proof compiles an agreement set (default policy/compilePolicy.ts): the self-check
   * compiles the coverage set with it, so that it checks the same engine code as `policy`. A caller proving
   * an engine of its own (a copy with a bug planted, another build) passes that engine's compile here.
   */
  readonly compile?: (set: AgreementSet) => Policy;
  /** The coverage set's folder (default legal/coverage-set/); for tests of the self-check itself. */
  readonly coverage?: string;
}

/** The clauses of the set by `agreement/clause`, read from its data. */
function clauseTable(set: Pick<AgreementSet, 'agreements'>): Map<string, Determining> {
  const table = new Map<string, Determining>();
  for (const agreement of set.agreements)
    for (const clause of agreement.clauses) table.set(`${agreement.id}/${clause.id}`, { agreement, clause });
  return table;
}

export function prove(policy: Policy, invariants: readonly Invariant[], options: ProveOptions = {}): Proof {
  const max = options.maxCounterexamples ?? 3;
  const reference = options.reference ?? readReferenceSet(policy.set.dir);
  const { results, model, questions } = check(policy, reference, invariants, max, options.fields);
  const engine = selfCheck({ ...options, maxCounterexamples: max });
  return {
    revision: policy.revision,
    holds: model.holds && results.every((result) => result.holds) && engine.holds,
    results,
    model,
    questions,
    selfCheck: engine,
  };
}

/**
 * Every question of the reference set put to the policy: each answer compared with the reference model
 * and held to the invariants. `observe`, when given, sees each question as the model reads it.
 */
function check(
  policy: Policy,
  reference: ReferenceSet,
  invariants: readonly Invariant[],
  max: number,
  fields: FieldCatalog | undefined,
  observe?: (question: ModelQuestion) => void,
): Pick<Proof, 'results' | 'model' | 'questions'> {
  const set = policy.set;
  const clauses = clauseTable(set);
  const referenceClauses = clauseTable(reference);
  const state = invariants.map((invariant) => ({
    invariant,
    matched: 0,
    violations: 0,
    counterexamples: [] as Counterexample[],
    seen: new Set<string>(),
  }));
  const withDecisions = state.filter(({ invariant }) => invariant.decisions !== undefined);
  const model = { disagreements: 0, counterexamples: [] as Disagreement[], seen: new Set<string>() };
  let questions = 0;

  for (const { input, profile } of questionsOf(reference)) {
    const decision = policy.decide(input);
    questions++;
    const ref = decision.clauses[0];
    const key = ref === undefined ? '' : `${ref.agreement}/${ref.clause}`;
    const determining = ref === undefined ? undefined : clauses.get(key);

    const engineAnswer = answerOf(decision);
    const question = modelQuestionOf(input);
    const modelAnswer = modelDecide(reference, question);
    observe?.(question);
    const difference = disagreement(engineAnswer, modelAnswer);
    if (difference !== undefined) {
      model.disagreements++;
      const seenKey = `${key}\0${modelAnswer.clause ?? ''}\0${difference}`;
      if (model.counterexamples.length < max && !model.seen.has(seenKey)) {
        model.seen.add(seenKey);
        const modelDetermining =
          modelAnswer.clause === undefined ? undefined : referenceClauses.get(modelAnswer.clause);
        model.counterexamples.push({
          input,
          text: describeQuestion(input, profile),
          engine: engineAnswer,
          model: modelAnswer,
          ...(ref !== undefined &&
            determining !== undefined && { clause: { ...ref, source: determining.clause.source } }),
          ...(modelDetermining !== undefined && { modelClause: refOf(modelDetermining) }),
          violation: difference,
        });
      }
    }

    for (const entry of withDecisions) {
      const rule = entry.invariant.decisions!;
      if (!matches(rule.when, input, decision, determining)) continue;
      entry.matched++;
      const violation =
        ref !== undefined && determining === undefined
          ? `the decision cites ${key}, which is not in the set`
          : broken(rule.require, input, decision, determining, set);
      if (violation === undefined) continue;
      entry.violations++;
      const seenKey = `${key}\0${violation}`;
      if (entry.counterexamples.length >= max || entry.seen.has(seenKey)) continue;
      entry.seen.add(seenKey);
      entry.counterexamples.push({
        input,
        text: describeQuestion(input, profile),
        decision: {
          effect: decision.effect,
          reason: decision.reason,
          ...(decision.obligations !== undefined && { obligations: decision.obligations }),
        },
        ...(ref !== undefined &&
          determining !== undefined && { clause: { ...ref, source: determining.clause.source } }),
        violation,
      });
    }
  }

  const results: InvariantResult[] = state.map(({ invariant, matched, violations, counterexamples }) => {
    const fieldRule = invariant.supergraph;
    const checkFields = fieldRule !== undefined && fields !== undefined;
    const badFields = checkFields ? brokenFields(fieldRule, fields) : [];
    const seenFields = checkFields ? fieldsOf(fieldRule, fields) : undefined;
    const vacuous = (invariant.decisions !== undefined && matched === 0) || seenFields === 0;
    return {
      invariant,
      holds: violations === 0 && badFields.length === 0 && !vacuous,
      vacuous,
      checked: invariant.decisions === undefined ? 0 : questions,
      matched,
      violations,
      counterexamples,
      brokenFields: badFields,
      ...(seenFields !== undefined && { fields: seenFields }),
    };
  });
  const agreement: ModelAgreement = {
    holds: model.disagreements === 0 && questions > 0,
    vacuous: questions === 0,
    checked: questions,
    disagreements: model.disagreements,
    counterexamples: model.counterexamples,
  };
  return { results, model: agreement, questions };
}

/**
 * Self-checks already run, by compile function and then folder and counterexample count: the answer
 * depends on nothing else (the coverage set is files of the repository), and a test file that proves many
 * engines built by the same compile would otherwise run the same self-check each time.
 */
const selfChecks = new WeakMap<(set: AgreementSet) => Policy, Map<string, SelfCheck>>();

/**
 * The engine's self-check alone (every `prove` runs it too): the engine `compile` builds (default
 * policy/compilePolicy.ts) on the built-in coverage set, against the reference model, the set's invariants
 * and the kinds of condition of the agreement schema.
 */
export function selfCheck(
  options: Pick<ProveOptions, 'compile' | 'coverage' | 'maxCounterexamples'> = {},
): SelfCheck {
  return engineSelfCheck(
    options.compile ?? compilePolicy,
    options.maxCounterexamples ?? 3,
    options.coverage ?? COVERAGE_DIR,
  );
}

function engineSelfCheck(compile: (set: AgreementSet) => Policy, max: number, dir: string): SelfCheck {
  let known = selfChecks.get(compile);
  if (known === undefined) selfChecks.set(compile, (known = new Map<string, SelfCheck>()));
  const key = `${max}\0${dir}`;
  let result = known.get(key);
  if (result === undefined) known.set(key, (result = runSelfCheck(compile, max, dir)));
  return result;
}

function runSelfCheck(compile: (set: AgreementSet) => Policy, max: number, dir: string): SelfCheck {
  const set = loadAgreementSet(dir);
  const reference = readReferenceSet(dir);
  const invariants = loadInvariants(invariantsFileOf(dir), set);
  const tally = new ConditionTally(reference);
  const { results, model, questions } = check(
    compile(set),
    reference,
    invariants,
    max,
    undefined,
    (question) => tally.observe(question),
  );
  const conditions = tally.results();
  return {
    dir,
    revision: set.revision,
    holds:
      model.holds && results.every((result) => result.holds) && conditions.every((item) => !item.vacuous),
    questions,
    results,
    model,
    conditions,
  };
}

/** How a counterexample names a clause: agreement, clause, title, citation, file and line. */
function refOf({ agreement, clause }: Determining): ClauseRef & { readonly source: SourceLocation } {
  return {
    agreement: agreement.id,
    clause: clause.id,
    title: agreement.title,
    citation: clause.citation,
    source: clause.source,
  };
}
