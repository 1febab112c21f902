import { AuStatus } from '../labels/types';
import type { AuColumns } from './au-design';
import { expectedAuRate, ruleAus, RATE_FLOOR } from '../rules/expected-rates';
import { forEachAu } from '../rules/mask';
import type { RuleSet } from '../rules/schema';
import type { ClassOpinions } from './opinion';
import { classColumnLookup, PatternIndex } from '../labels/pattern-index';

/**
 * The literature as evidence: a naive Bayes reading of each coded sample's AUs with the
 * rule set's expected rates (Du et al. for compound classes) and a uniform class prior.
 * It never looks at the dataset's labels, so it cannot learn the dataset's mistakes, and
 * it is weak on in-the-wild faces (posed-face rates): its quality figure says how often
 * its likeliest class is the given one. Samples with the same AU pattern share a row.
 */
export function ruleOpinions(
  table: AuColumns,
  ruleSet: RuleSet,
  classIds: readonly number[],
): ClassOpinions {
  const k = classIds.length;
  const rules = classIds.map((id) => ruleSet.classes.find((rule) => rule.classId === id));
  const vocabulary = ruleAus(ruleSet);
  const v = vocabulary.length;
  const auIndex = new Int16Array(65).fill(-1);
  vocabulary.forEach((au, a) => (auIndex[au] = a));
  // log P(AU absent | class) summed, and the gain of each present AU; a class without a
  // rule gets the base rate everywhere (no opinion for or against it).
  const absentSum = new Float64Array(k);
  const presentGain = new Float64Array(k * v);
  rules.forEach((rule, c) => {
    vocabulary.forEach((au, a) => {
      const raw = rule ? expectedAuRate(rule, au) : 0.05;
      const p = Math.min(1 - RATE_FLOOR, Math.max(RATE_FLOOR, raw));
      absentSum[c] = (absentSum[c] as number) + Math.log(1 - p);
      presentGain[c * v + a] = Math.log(p) - Math.log(1 - p);
    });
  });

  const n = table.count;
  const columnOf = classColumnLookup(classIds);
  const rowOf = new Int32Array(n).fill(-1);
  // Distinct patterns keyed by their two mask words (a string key per sample cost more
  // than the reading itself at a million samples).
  const index = new PatternIndex();
  const rows: number[] = [];
  const bestOfRow: number[] = [];
  const logPost = new Float64Array(k);
  let keepLo = 0;
  let keepHi = 0;
  for (const au of vocabulary) {
    if (au <= 32) keepLo |= 1 << (au - 1);
    else keepHi |= 1 << (au - 33);
  }
  let agree = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (table.auStatus[i] !== AuStatus.coded || columnOf(table.classIds[i] as number) < 0) continue;
    const lo = ((table.auMask[2 * i] as number) & keepLo) >>> 0;
    const hi = ((table.auMask[2 * i + 1] as number) & keepHi) >>> 0;
    const row = index.idOf(lo, hi);
    if (row === bestOfRow.length) {
      for (let c = 0; c < k; c++) logPost[c] = absentSum[c] as number;
      forEachAu(lo, hi, (au) => {
        const a = auIndex[au] as number;
        for (let c = 0; c < k; c++)
          logPost[c] = (logPost[c] as number) + (presentGain[c * v + a] as number);
      });
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logPost[c] as number);
      let total = 0;
      for (let c = 0; c < k; c++) total += Math.exp((logPost[c] as number) - max);
      let best = 0;
      for (let c = 0; c < k; c++) {
        rows.push(Math.exp((logPost[c] as number) - max) / total);
        if ((logPost[c] as number) > (logPost[best] as number)) best = c;
      }
      bestOfRow.push(best);
    }
    rowOf[i] = row;
    used++;
    if (classIds[bestOfRow[row] as number] === table.classIds[i]) agree++;
  }
  return {
    kind: 'rules',
    name: `Literature (${ruleSet.name})`,
    quality: {
      measure: `share of ${used.toLocaleString('en')} coded samples whose likeliest class is the given one`,
      value: used > 0 ? agree / used : null,
      samples: used,
    },
    classIds: [...classIds],
    rowOf,
    probs: Float32Array.from(rows),
  };
}
