import { auValueIssues, parseAuString } from '../labels/au';
import { PatternIndex } from '../labels/pattern-index';
import { AuStatus, SampleFlag, type BasicEmotion, type SampleTable } from '../labels/types';
import { auLabel, componentMissingText } from './describe';
import { ausOfMask, maskOf, popcount, type AuMask } from './mask';
import type { AuPair, ClassRule, Hallmarks, RuleSet } from './schema';

/**
 * Checks each sample's AUs against FACS and against the rule of its class.
 *
 * Verdicts, from the most to the least severe:
 *  - 'breaks-facs': the coding contradicts itself: a pair FACS scores as mutually
 *    exclusive (AU26 with AU27, eyes closed with a blink ...), the same AU coded twice,
 *    or tokens outside the AU grammar. These are wrong whatever the emotion.
 *  - 'atypical': the AUs are unlike the posed faces the literature describes for the
 *    class (a component without its hallmark, required AUs or any-of groups missing, a
 *    discouraged or rare pair). In-the-wild compound faces are often atypical (on RAF-CE
 *    most coded samples are): a reason to look, graded by the score, never proof of a
 *    wrong label. Which labels are likely wrong is the evidence layer's call.
 *  - 'fits': otherwise. One missing unit is tolerated: "prototypical" means used by more
 *    than 70% of subjects, so with four required AUs present at ~90% each a third of
 *    genuine samples miss one. It is still listed as a reason (a note), so it can be found.
 *  - 'not-coded': the AU label is `null` or absent; nothing to check.
 *  - 'no-rule': the rule set has no rule for the sample's class (or it has no class).
 *
 * Score (0 = nothing like the literature ... 1 = typical), for ranking within a verdict:
 *   coverage = units present / units (1 when the rule has none)
 *   score = coverage x 0.5^(components missing) x 0.7^(discouraged pairs)
 *           x 0.9^(rare pairs) x 0.9 (if unknown tokens)
 * NaN for 'not-coded' and 'no-rule': there is no evidence either way.
 */

export const VERDICTS = ['fits', 'atypical', 'breaks-facs', 'not-coded', 'no-rule'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** Verdict -> code in CheckColumns.verdict (its index in VERDICTS). */
export const VerdictCode = {
  fits: 0,
  atypical: 1,
  'breaks-facs': 2,
  'not-coded': 3,
  'no-rule': 4,
} as const satisfies Record<Verdict, number>;

export const REASON_KINDS = [
  'required-missing',
  'any-of-missing',
  'discouraged-pair',
  'component-missing',
  'null-au',
  'unknown-token',
  'rare-pair',
  'exclusive-pair',
  'duplicate-token',
] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];
/** Reason kind -> its bit in CheckColumns.reasons (bit = index in REASON_KINDS). */
export const ReasonBit = Object.fromEntries(REASON_KINDS.map((kind, i) => [kind, 1 << i])) as {
  readonly [K in ReasonKind]: number;
};

export const COMPONENT_MISSING_FACTOR = 0.5;
export const DISCOURAGED_PAIR_FACTOR = 0.7;
export const RARE_PAIR_FACTOR = 0.9;
export const UNKNOWN_TOKEN_FACTOR = 0.9;
/** Below this share of units present the label fails. */
export const FAIL_COVERAGE = 0.5;
/** Missing units tolerated before a sample becomes suspect. */
export const TOLERATED_MISSING_UNITS = 1;

export interface Reason {
  kind: ReasonKind;
  aus: number[];
  component?: BasicEmotion;
  message: string;
}

export interface SampleCheck {
  verdict: Verdict;
  /** 0 (surely wrong) ... 1 (fits); NaN when not coded or no rule. */
  score: number;
  reasons: Reason[];
}

export interface SampleCheckInput {
  aus: number[];
  status: 'absent' | 'null' | 'coded';
  unknownTokens: number;
  /** The same AU coded twice. */
  duplicateTokens?: boolean;
  classId: number;
}

/** Whole-table results as columns, one entry per sample. */
export interface CheckColumns {
  verdict: Uint8Array;
  score: Float32Array;
  /** Bit per reason kind (ReasonBit). */
  reasons: Uint16Array;
  /** Required AUs missing, two words per sample like SampleTable.auMask. */
  missing: Uint32Array;
}

// ---------------------------------------------------------------------------
// Rules compiled to AU masks, so a sample costs a few integer operations.

interface CompiledPair extends AuMask {
  pair: AuPair;
}

interface CompiledClass {
  rule: ClassRule;
  required: AuMask;
  units: number;
  anyOf: { group: number[]; mask: AuMask }[];
  discouraged: CompiledPair[];
  /** The global rare pairs minus those this class expects (both AUs required or variants). */
  rare: CompiledPair[];
  components: { component: BasicEmotion; alternatives: AuMask[] }[];
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  byClassId: Map<number, CompiledClass>;
  exclusive: CompiledPair[];
}

function pairOf(pair: AuPair): CompiledPair {
  return { pair, ...maskOf(pair) };
}

function coversAll(lo: number, hi: number, m: AuMask): boolean {
  return (lo & m.lo) >>> 0 === m.lo && (hi & m.hi) >>> 0 === m.hi;
}

function touchesAny(lo: number, hi: number, m: AuMask): boolean {
  return (lo & m.lo) !== 0 || (hi & m.hi) !== 0;
}

function compileClass(rule: ClassRule, ruleSet: RuleSet): CompiledClass {
  const expected = new Set([...rule.required, ...rule.variants.map((v) => v.au)]);
  return {
    rule,
    required: maskOf(rule.required),
    units: rule.required.length + rule.anyOf.length,
    anyOf: rule.anyOf.map((group) => ({ group, mask: maskOf(group) })),
    discouraged: rule.discouragedPairs.map(pairOf),
    rare: ruleSet.rarely.filter(([a, b]) => !(expected.has(a) && expected.has(b))).map(pairOf),
    components: rule.components.flatMap((component) => {
      const alternatives = componentEvidence(rule, ruleSet.hallmarks, component);
      return alternatives.length > 0 ? [{ component, alternatives: alternatives.map(maskOf) }] : [];
    }),
  };
}

/**
 * The AU sets that show a component in this class: the hallmark alternatives, plus one
 * derived from the class's own prototype when no alternative lies inside it. Du et al.'s
 * prototypes sometimes carry a component without its general hallmark: sadly angry is
 * 4+15, angrily surprised 4+25+26 (anger by AU4 alone, not 4+7); happily fearful is
 * 1+2+12+25+26 (fear by 1+2). Calling those prototypes "component missing" would fail
 * the very faces the class is defined by, so the required AUs among the component's
 * hallmark AUs stand in for it. Empty (nothing to check) when the component has no
 * hallmarks or the prototype shares none of them.
 */
export function componentEvidence(
  rule: ClassRule,
  hallmarks: Hallmarks,
  component: BasicEmotion,
): number[][] {
  const alternatives = hallmarks[component];
  if (alternatives.length === 0) return [];
  const required = new Set(rule.required);
  if (required.size === 0 || alternatives.some((alt) => alt.every((au) => required.has(au)))) {
    return alternatives;
  }
  const hallmarkAus = new Set(alternatives.flat());
  const standIn = rule.required.filter((au) => hallmarkAus.has(au)).sort((a, b) => a - b);
  return standIn.length > 0 ? [...alternatives, standIn] : [];
}

const compiledCache = new WeakMap<RuleSet, CompiledRuleSet>();

/** Rules as masks; cached per rule-set object (rule sets are treated as immutable values). */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  let compiled = compiledCache.get(ruleSet);
  if (!compiled) {
    compiled = {
      ruleSet,
      byClassId: new Map(
        ruleSet.classes.map((rule) => [rule.classId, compileClass(rule, ruleSet)]),
      ),
      exclusive: ruleSet.exclusive.map(pairOf),
    };
    compiledCache.set(ruleSet, compiled);
  }
  return compiled;
}

// ---------------------------------------------------------------------------
// The one evaluation both checkSample and checkTable use.

interface Evaluation {
  verdict: number;
  score: number;
  reasons: number;
  missingLo: number;
  missingHi: number;
}

/** What was found, item by item; collected only for the detail view. */
interface Findings {
  anyOfMissing: number[][];
  discouraged: AuPair[];
  rare: AuPair[];
  componentsMissing: BasicEmotion[];
  exclusive: AuPair[];
}

/** Reason bits of the hard contradictions, which need no class rule. */
function hardReasons(
  compiled: CompiledRuleSet,
  lo: number,
  hi: number,
  unknownTokens: boolean,
  duplicateTokens: boolean,
  findings: Findings | null,
): number {
  let reasons = 0;
  for (const pair of compiled.exclusive) {
    if (!coversAll(lo, hi, pair)) continue;
    reasons |= ReasonBit['exclusive-pair'];
    findings?.exclusive.push(pair.pair);
  }
  if (unknownTokens) reasons |= ReasonBit['unknown-token'];
  if (duplicateTokens) reasons |= ReasonBit['duplicate-token'];
  return reasons;
}

const HARD_REASONS =
  ReasonBit['exclusive-pair'] | ReasonBit['unknown-token'] | ReasonBit['duplicate-token'];

function evaluateCoded(
  rules: CompiledClass,
  lo: number,
  hi: number,
  hard: number,
  out: Evaluation,
  findings: Findings | null,
): void {
  const unknownTokens = (hard & ReasonBit['unknown-token']) !== 0;
  let reasons = hard;
  const missingLo = (rules.required.lo & ~lo) >>> 0;
  const missingHi = (rules.required.hi & ~hi) >>> 0;
  let missingUnits = popcount(missingLo) + popcount(missingHi);
  if (missingUnits > 0) reasons |= ReasonBit['required-missing'];

  for (const { group, mask } of rules.anyOf) {
    if (touchesAny(lo, hi, mask)) continue;
    missingUnits++;
    reasons |= ReasonBit['any-of-missing'];
    findings?.anyOfMissing.push(group);
  }

  let componentsMissing = 0;
  for (const { component, alternatives } of rules.components) {
    if (alternatives.some((m) => coversAll(lo, hi, m))) continue;
    componentsMissing++;
    reasons |= ReasonBit['component-missing'];
    findings?.componentsMissing.push(component);
  }

  let discouraged = 0;
  for (const pair of rules.discouraged) {
    if (!coversAll(lo, hi, pair)) continue;
    discouraged++;
    reasons |= ReasonBit['discouraged-pair'];
    findings?.discouraged.push(pair.pair);
  }

  let rare = 0;
  for (const pair of rules.rare) {
    if (!coversAll(lo, hi, pair)) continue;
    rare++;
    reasons |= ReasonBit['rare-pair'];
    findings?.rare.push(pair.pair);
  }

  const coverage = rules.units > 0 ? (rules.units - missingUnits) / rules.units : 1;
  out.score =
    coverage *
    COMPONENT_MISSING_FACTOR ** componentsMissing *
    DISCOURAGED_PAIR_FACTOR ** discouraged *
    RARE_PAIR_FACTOR ** rare *
    (unknownTokens ? UNKNOWN_TOKEN_FACTOR : 1);
  out.verdict =
    (hard & HARD_REASONS) !== 0
      ? VerdictCode['breaks-facs']
      : componentsMissing > 0 ||
          coverage < FAIL_COVERAGE ||
          missingUnits > TOLERATED_MISSING_UNITS ||
          discouraged > 0 ||
          rare > 0
        ? VerdictCode.atypical
        : VerdictCode.fits;
  out.reasons = reasons;
  out.missingLo = missingLo;
  out.missingHi = missingHi;
}

function evaluate(
  compiled: CompiledRuleSet,
  status: number,
  classId: number,
  lo: number,
  hi: number,
  unknownTokens: boolean,
  duplicateTokens: boolean,
  out: Evaluation,
  findings: Findings | null,
): CompiledClass | undefined {
  out.missingLo = 0;
  out.missingHi = 0;
  out.reasons = 0;
  out.score = NaN;
  if (status !== AuStatus.coded) {
    out.verdict = VerdictCode['not-coded'];
    out.reasons = ReasonBit['null-au'];
    return undefined;
  }
  const hard = hardReasons(compiled, lo, hi, unknownTokens, duplicateTokens, findings);
  const rules = compiled.byClassId.get(classId);
  if (!rules) {
    out.verdict = hard !== 0 ? VerdictCode['breaks-facs'] : VerdictCode['no-rule'];
    out.reasons = hard;
    return undefined;
  }
  evaluateCoded(rules, lo, hi, hard, out, findings);
  return rules;
}

function newEvaluation(): Evaluation {
  return { verdict: 0, score: NaN, reasons: 0, missingLo: 0, missingHi: 0 };
}

/** Check every sample, in one pass over the columns. */
export function checkTable(table: SampleTable, ruleSet: RuleSet): CheckColumns {
  const compiled = compileRuleSet(ruleSet);
  const n = table.count;
  const verdict = new Uint8Array(n);
  const score = new Float32Array(n);
  const reasons = new Uint16Array(n);
  const missing = new Uint32Array(2 * n);
  const out = newEvaluation();
  // A verdict depends on the AU pattern, the class, the AU status and the two token flags
  // alone: a million samples hold a few hundred thousand such tuples at most, so each
  // tuple is evaluated once and its samples copy the result.
  const patterns = new PatternIndex();
  const tuples = new PatternIndex();
  let evaluated = new TupleResults(1024);
  for (let i = 0; i < n; i++) {
    const status = table.auStatus[i] as number;
    const classId = table.classIds[i] as number;
    const lo = table.auMask[2 * i] as number;
    const hi = table.auMask[2 * i + 1] as number;
    const flags = table.flags[i] as number;
    const unknownToken = (flags & SampleFlag.unknownAuToken) !== 0;
    const duplicateToken = (flags & SampleFlag.duplicateAuToken) !== 0;
    const details =
      ((classId & 0xffff) << 8) | (status << 2) | (unknownToken ? 2 : 0) | (duplicateToken ? 1 : 0);
    const tuple = tuples.idOf(patterns.idOf(lo, hi), details >>> 0);
    if (tuple === evaluated.count) {
      if (tuple === evaluated.capacity) evaluated = evaluated.grown();
      evaluate(compiled, status, classId, lo, hi, unknownToken, duplicateToken, out, null);
      evaluated.add(out);
    }
    verdict[i] = evaluated.verdict[tuple] as number;
    score[i] = evaluated.score[tuple] as number;
    reasons[i] = evaluated.reasons[tuple] as number;
    missing[2 * i] = evaluated.missing[2 * tuple] as number;
    missing[2 * i + 1] = evaluated.missing[2 * tuple + 1] as number;
  }
  return { verdict, score, reasons, missing };
}

/** The evaluations of the distinct tuples checkTable met, in the order met. */
class TupleResults {
  count = 0;
  readonly verdict: Uint8Array;
  readonly score: Float32Array;
  readonly reasons: Uint16Array;
  readonly missing: Uint32Array;

  constructor(readonly capacity: number) {
    this.verdict = new Uint8Array(capacity);
    this.score = new Float32Array(capacity);
    this.reasons = new Uint16Array(capacity);
    this.missing = new Uint32Array(2 * capacity);
  }

  add(out: Evaluation): void {
    const t = this.count++;
    this.verdict[t] = out.verdict;
    this.score[t] = out.score;
    this.reasons[t] = out.reasons;
    this.missing[2 * t] = out.missingLo;
    this.missing[2 * t + 1] = out.missingHi;
  }

  grown(): TupleResults {
    const larger = new TupleResults(this.capacity * 2);
    larger.count = this.count;
    larger.verdict.set(this.verdict);
    larger.score.set(this.score);
    larger.reasons.set(this.reasons);
    larger.missing.set(this.missing);
    return larger;
  }
}

const STATUS_CODES = { absent: AuStatus.absent, null: AuStatus.null, coded: AuStatus.coded };

/** Check one sample and explain every finding in words. */
export function checkSample(input: SampleCheckInput, ruleSet: RuleSet): SampleCheck {
  const compiled = compileRuleSet(ruleSet);
  const { lo, hi } = maskOf(input.aus);
  const out = newEvaluation();
  const findings: Findings = {
    anyOfMissing: [],
    discouraged: [],
    rare: [],
    componentsMissing: [],
    exclusive: [],
  };
  const unknown = input.unknownTokens > 0;
  const rules = evaluate(
    compiled,
    STATUS_CODES[input.status],
    input.classId,
    lo,
    hi,
    unknown,
    input.duplicateTokens ?? false,
    out,
    findings,
  );

  const reasons: Reason[] = [];
  if ((out.reasons & ReasonBit['null-au']) !== 0) {
    reasons.push({
      kind: 'null-au',
      aus: [],
      message:
        input.status === 'null'
          ? 'AU label is null: not coded (which is not the same as "no AU active")'
          : 'no AU label given for this sample',
    });
  }
  const missing = ausOfMask(out.missingLo, out.missingHi);
  if (missing.length > 0) {
    const tolerated = missing.length + findings.anyOfMissing.length <= TOLERATED_MISSING_UNITS;
    reasons.push({
      kind: 'required-missing',
      aus: missing,
      message:
        `missing ${missing.map(auLabel).join(', ')} (expected in most samples of this class` +
        `${tolerated ? '; one absence is common' : ''})`,
    });
  }
  for (const group of findings.anyOfMissing) {
    reasons.push({
      kind: 'any-of-missing',
      aus: group,
      message: `none of ${group.map((au) => `AU${au}`).join('/')} (at least one expected)`,
    });
  }
  for (const component of findings.componentsMissing) {
    const rule = rules?.rule as ClassRule;
    const evidence = componentEvidence(rule, ruleSet.hallmarks, component);
    reasons.push({
      kind: 'component-missing',
      aus: [...new Set(evidence.flat())].sort((a, b) => a - b),
      component,
      message: componentMissingText(component, evidence),
    });
  }
  for (const [a, b] of findings.discouraged) {
    reasons.push({
      kind: 'discouraged-pair',
      aus: [a, b],
      message: `AU${a} with AU${b}: a pair this class's rule discourages`,
    });
  }
  for (const [a, b] of findings.rare) {
    reasons.push({
      kind: 'rare-pair',
      aus: [a, b],
      message: `AU${a} with AU${b}: a pair that rarely occurs together`,
    });
  }
  for (const [a, b] of findings.exclusive) {
    reasons.push({
      kind: 'exclusive-pair',
      aus: [a, b],
      message: `AU${a} with AU${b}: FACS never scores these two together on one face`,
    });
  }
  if ((out.reasons & ReasonBit['duplicate-token']) !== 0) {
    reasons.push({
      kind: 'duplicate-token',
      aus: [],
      message: 'the same AU is coded twice in this label',
    });
  }
  if ((out.reasons & ReasonBit['unknown-token']) !== 0) {
    reasons.push({
      kind: 'unknown-token',
      aus: [],
      message: `${input.unknownTokens} AU token${input.unknownTokens === 1 ? '' : 's'} the app cannot read: the AUs checked may be incomplete`,
    });
  }
  return { verdict: VERDICTS[out.verdict] as Verdict, score: out.score, reasons };
}

const STATUS_NAMES = ['absent', 'null', 'coded'] as const;

/** The check of sample i with its reasons in words, for the detail view. */
export function reasonsOf(table: SampleTable, i: number, ruleSet: RuleSet): SampleCheck {
  const raw = table.auRaw[i] ?? '';
  const status = STATUS_NAMES[table.auStatus[i] as number] ?? 'absent';
  const unknownTokens =
    status === 'coded' ? auValueIssues(parseAuString(raw)).filter((x) => x.unknown).length : 0;
  return checkSample(
    {
      aus: ausOfMask(table.auMask[2 * i] as number, table.auMask[2 * i + 1] as number),
      status,
      // The flag is the table's word; the raw string only counts how many.
      unknownTokens:
        ((table.flags[i] as number) & SampleFlag.unknownAuToken) !== 0
          ? Math.max(1, unknownTokens)
          : 0,
      duplicateTokens: ((table.flags[i] as number) & SampleFlag.duplicateAuToken) !== 0,
      classId: table.classIds[i] as number,
    },
    ruleSet,
  );
}

/** Verdict name of a code in CheckColumns.verdict. */
export function verdictName(code: number): Verdict {
  const verdict = VERDICTS[code];
  if (verdict === undefined) throw new RangeError(`no verdict with code ${code}`);
  return verdict;
}

/** The reason kinds set in a CheckColumns.reasons entry. */
export function reasonKinds(bits: number): ReasonKind[] {
  return REASON_KINDS.filter((kind) => (bits & ReasonBit[kind]) !== 0);
}
