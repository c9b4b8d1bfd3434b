/** Lint findings and proofs as text a reviewer reads in a terminal or a CI log. */
import { formatInstant } from '../domain';
import type { LintReport } from '../lint';
import { describeAnswer } from '../model';
import type { Proof, SelfCheck } from '../prove';
import { REVISION_MEANS } from './words';

export function renderLint(report: LintReport, display: (file: string) => string = (file) => file): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    const where =
      finding.file === undefined
        ? ''
        : `${display(finding.file)}${finding.line === undefined ? '' : `:${finding.line}`}: `;
    lines.push(`${where}${finding.severity} [${finding.rule}] ${finding.message}`);
  }
  const { error, warning, info } = report.counts;
  lines.push(
    `${report.revision === undefined ? 'lint' : `lint of agreement set revision ${report.revision} (${REVISION_MEANS})`}: ${error} error(s), ${warning} warning(s), ${info} note(s)`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderProof(proof: Proof, display: (file: string) => string = (file) => file): string {
  const lines: string[] = [
    `prove: agreement set revision ${proof.revision} (${REVISION_MEANS}), ${proof.questions} decisions of the finite domain`,
    ...invariantLines(proof.results, display),
    ...modelLines(proof.model, display),
    ...selfCheckLines(proof.selfCheck, display),
  ];
  const broken = proof.results.filter((result) => !result.holds).length;
  const invariants =
    broken === 0
      ? `all ${proof.results.length} invariants hold`
      : `${broken} of ${proof.results.length} invariants broken or vacuous`;
  const { model } = proof;
  lines.push(
    model.holds
      ? `${invariants}, and the engine agrees with the reference model on all ${model.checked} decisions`
      : model.vacuous
        ? `${invariants}; no decision was compared with the reference model`
        : `${invariants}; the engine disagrees with the reference model on ${model.disagreements} decision(s)`,
    selfCheckSummary(proof.selfCheck),
  );
  return `${lines.join('\n')}\n`;
}

/** The self-check in one line: its verdict, then each of its three parts. */
function selfCheckSummary(check: SelfCheck): string {
  const { model } = check;
  const broken = check.results.filter((result) => !result.holds).length;
  const vacuous = check.conditions.filter((item) => item.vacuous).map((item) => item.kind);
  const parts = [
    model.holds
      ? `agrees with the reference model on all ${model.checked} decisions`
      : `disagrees with the reference model on ${model.disagreements} of ${model.checked} decisions`,
    broken === 0
      ? `all ${check.results.length} invariants hold`
      : `${broken} of ${check.results.length} invariants broken or vacuous`,
    vacuous.length === 0
      ? 'every kind of condition reached'
      : `kind(s) of condition never put to the test: ${vacuous.join(', ')}`,
  ];
  return `engine self-check on the built-in coverage set: ${check.holds ? 'HOLDS' : 'FAILS'} (${parts.join('; ')})`;
}

/** One line per invariant, and for each that fails where it is written and its counterexamples. */
function invariantLines(results: Proof['results'], display: (file: string) => string): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const { invariant } = result;
    const where = `${display(invariant.location.file)}:${invariant.location.line}`;
    const scope = [
      invariant.decisions === undefined
        ? undefined
        : `${result.matched} of ${result.checked} decisions selected and checked`,
      result.fields === undefined
        ? invariant.supergraph !== undefined
          ? 'supergraph not checked'
          : undefined
        : `${result.fields} field(s)`,
    ]
      .filter(Boolean)
      .join(', ');
    const verdict = result.holds
      ? 'HOLDS '
      : result.vacuous && result.violations === 0 && result.brokenFields.length === 0
        ? 'VACUOUS'
        : 'BROKEN';
    lines.push(
      `${verdict} ${invariant.id}: ${invariant.statement} (${scope})${invariant.source === undefined ? '' : ` [${invariant.source}]`}`,
    );
    if (result.holds) continue;
    lines.push(`  ${where}`);
    if (result.vacuous)
      lines.push('  selects no decision (or field) of this set: it proves nothing, so it fails');
    for (const field of result.brokenFields) lines.push(`  field: ${field.text}`);
    if (result.violations > 0) lines.push(`  ${result.violations} decision(s) break it; counterexample(s):`);
    for (const example of result.counterexamples) {
      lines.push(`  - ${example.text}`);
      lines.push(`    got ${example.decision.effect} (${example.decision.reason}): ${example.violation}`);
      if (example.clause !== undefined) {
        lines.push(
          `    breaking clause: ${example.clause.title} ${example.clause.citation} (${example.clause.agreement}/${example.clause.clause}) at ${display(example.clause.source.file)}:${example.clause.source.line}`,
        );
      }
      lines.push(`    request: ${JSON.stringify(example.input)} (at = ${formatInstant(example.input.at)})`);
    }
  }
  return lines;
}

/** The line of the comparison with the reference model, and its counterexamples when it fails. */
function modelLines(model: Proof['model'], display: (file: string) => string): string[] {
  const verdict = model.holds ? 'HOLDS ' : model.vacuous ? 'VACUOUS' : 'BROKEN';
  const lines = [
    `${verdict} agrees with the reference model: ${model.checked - model.disagreements} of ${model.checked} decisions (effect, reason, determining clause, obligations; the model reads the agreement files itself) [docs/domain.md#invariants, the paragraph after the list]`,
  ];
  if (model.holds) return lines;
  lines.push('  legal/model/ (the reference model), legal/readReferenceSet.ts (its reading of the set)');
  if (model.vacuous) lines.push('  compares no decision of this set: it proves nothing, so it fails');
  if (model.disagreements > 0)
    lines.push(`  ${model.disagreements} decision(s) disagree with it; counterexample(s):`);
  const where = (clause: NonNullable<Proof['model']['counterexamples'][number]['clause']>): string =>
    `${clause.title} ${clause.citation} (${clause.agreement}/${clause.clause}) at ${display(clause.source.file)}:${clause.source.line}`;
  for (const example of model.counterexamples) {
    lines.push(`  - ${example.text}`);
    lines.push(`    differs in ${example.violation}`);
    lines.push(`    engine: ${describeAnswer(example.engine)}`);
    lines.push(`    model:  ${describeAnswer(example.model)}`);
    if (example.clause !== undefined) lines.push(`    engine's clause: ${where(example.clause)}`);
    if (example.modelClause !== undefined) lines.push(`    model's clause: ${where(example.modelClause)}`);
    lines.push(`    request: ${JSON.stringify(example.input)} (at = ${formatInstant(example.input.at)})`);
  }
  return lines;
}

/**
 * The engine's self-check: a heading that says what it is, then the model comparison, the invariants (in
 * full only when one fails) and the kinds of condition, each with its verdict.
 */
function selfCheckLines(check: SelfCheck, display: (file: string) => string): string[] {
  const folder = display(check.dir);
  const lines = [
    '',
    `engine self-check on the built-in coverage set (${folder}, revision ${check.revision}): the same engine code, given a small set written to use every path the engine has (${folder}/README.md says which clause is there for what), so that a bug on a path the set above never uses still fails the proof`,
    ...modelLines(check.model, display),
  ];
  const failing = check.results.filter((result) => !result.holds);
  if (failing.length === 0) {
    const least = Math.min(...check.results.map((result) => result.matched));
    lines.push(
      `HOLDS  all ${check.results.length} invariants of ${folder}/invariants.yaml hold on its ${check.questions} decisions, none vacuous (each selected at least ${least})`,
    );
  } else {
    lines.push(...invariantLines(failing, display));
  }
  lines.push(
    `kinds of condition an agreement can set (\`conditions\` in agreements/agreement.schema.json): each must decide some answer by being met, and change some answer by being the one thing missing`,
  );
  for (const item of check.conditions) {
    if (!item.vacuous) {
      lines.push(
        `HOLDS  ${item.kind}: decided ${item.met} answers by being met, changed ${item.missed} by being the one thing missing`,
      );
      continue;
    }
    const why = !item.judged
      ? 'the reference model (legal/model/conditions.ts) has no check for it'
      : item.met === 0 && item.missed === 0
        ? 'no clause of the coverage set met or missed it with an effect on an answer'
        : item.met === 0
          ? `no answer rested on it being met (it was the one thing missing in ${item.missed})`
          : `it was never the one thing missing where that changed an answer (it decided ${item.met} by being met)`;
    lines.push(
      `VACUOUS ${item.kind}: ${why}; an engine that ignored it would pass unseen, so it fails (add a clause to ${folder}/ that puts it to the test)`,
    );
  }
  return lines;
}
