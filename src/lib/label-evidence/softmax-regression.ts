/**
 * Multinomial logistic regression on binary features, fitted by L-BFGS on grouped rows.
 *
 * A row is a set of active features (AU presence bits) with a count per class: every
 * sample that shares a feature pattern shares a prediction, so a million samples with a
 * few thousand distinct AU patterns cost a few thousand rows per iteration. The loss is
 * the summed cross-entropy of the counts plus an L2 penalty on the weights (not the
 * intercepts), which keeps rare AUs from deciding alone.
 *
 * Hand-written rather than a library: the npm packages for logistic regression fit one
 * class against the rest on dense per-sample matrices (a million rows of floats), and
 * none takes grouped counts; the whole fitter is the objective below and a textbook
 * L-BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking line search.
 */

export interface GroupedRows {
  /** Number of distinct rows. */
  count: number;
  /** Active feature indices of row r: features[featureStart[r] .. featureStart[r + 1]). */
  featureStart: Int32Array;
  features: Int32Array;
}

export interface SoftmaxModel {
  classes: number;
  features: number;
  /** classes x (features + 1): per class, the intercept then one weight per feature. */
  weights: Float64Array;
}

export interface FitOptions {
  /** L2 penalty on the weights, in units of the total sample weight (so it scales with n). */
  l2: number;
  maxIterations: number;
  /** Stop when the loss improves by less than this share of itself. */
  tolerance: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { l2: 1e-3, maxIterations: 100, tolerance: 1e-5 };

/** Class probabilities of one row, written into out (length classes). */
export function predictRow(
  model: SoftmaxModel,
  rows: GroupedRows,
  r: number,
  out: Float64Array,
): void {
  const { classes, features, weights } = model;
  const stride = features + 1;
  const start = rows.featureStart[r] as number;
  const end = rows.featureStart[r + 1] as number;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = weights[c * stride] as number;
    for (let f = start; f < end; f++)
      z += weights[c * stride + 1 + (rows.features[f] as number)] as number;
    out[c] = z;
    if (z > max) max = z;
  }
  let total = 0;
  for (let c = 0; c < classes; c++) {
    const e = Math.exp((out[c] as number) - max);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] as number) / total;
}

/**
 * The rows that carry weight, and each one's total: rows without any weight cost nothing,
 * and with a stratified draw of the training samples most rows of a fold have none.
 */
interface Weighted {
  active: Int32Array;
  totals: Float64Array;
}

function weightedRows(rows: GroupedRows, counts: Float64Array, classes: number): Weighted {
  const totals = new Float64Array(rows.count);
  const active: number[] = [];
  for (let r = 0; r < rows.count; r++) {
    let n = 0;
    for (let c = 0; c < classes; c++) n += counts[r * classes + c] as number;
    totals[r] = n;
    if (n > 0) active.push(r);
  }
  return { active: Int32Array.from(active), totals };
}

/**
 * Loss and gradient of the penalised cross-entropy. The parameters are laid out feature
 * by feature here ((features + 1) x classes, the intercepts first), so that adding a
 * feature's weights to a row's scores, and its share back to the gradient, runs over
 * consecutive memory: the fit spends nearly all its time in these two loops.
 */
function lossAndGradient(
  x: Float64Array,
  gradient: Float64Array,
  rows: GroupedRows,
  counts: Float64Array,
  weighted: Weighted,
  classes: number,
  l2Total: number,
  scores: Float64Array,
  exps: Float64Array,
): number {
  const k = classes;
  const { featureStart, features } = rows;
  const { active, totals } = weighted;
  gradient.fill(0);
  let loss = 0;
  for (let a = 0; a < active.length; a++) {
    const r = active[a] as number;
    const start = featureStart[r] as number;
    const end = featureStart[r + 1] as number;
    for (let c = 0; c < k; c++) scores[c] = x[c] as number;
    for (let f = start; f < end; f++) {
      const base = (1 + (features[f] as number)) * k;
      for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) + (x[base + c] as number);
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) if ((scores[c] as number) > max) max = scores[c] as number;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((scores[c] as number) - max);
      exps[c] = e;
      sum += e;
    }
    const logSum = Math.log(sum) + max;
    const share = (totals[r] as number) / sum;
    const at = r * k;
    for (let c = 0; c < k; c++) {
      const y = counts[at + c] as number;
      if (y > 0) loss -= y * ((scores[c] as number) - logSum);
      // The score's own slot now holds its gradient: n p - y.
      scores[c] = share * (exps[c] as number) - y;
      gradient[c] = (gradient[c] as number) + (scores[c] as number);
    }
    for (let f = start; f < end; f++) {
      const base = (1 + (features[f] as number)) * k;
      for (let c = 0; c < k; c++)
        gradient[base + c] = (gradient[base + c] as number) + (scores[c] as number);
    }
  }
  for (let i = k; i < x.length; i++) {
    const w = x[i] as number;
    loss += 0.5 * l2Total * w * w;
    gradient[i] = (gradient[i] as number) + l2Total * w;
  }
  return loss;
}

/** Feature-major parameters (the fitter's layout) from a model's class-major weights. */
function toFeatureMajor(model: SoftmaxModel): Float64Array {
  const { classes, features, weights } = model;
  const stride = features + 1;
  const x = new Float64Array(weights.length);
  for (let c = 0; c < classes; c++)
    for (let f = 0; f < stride; f++) x[f * classes + c] = weights[c * stride + f] as number;
  return x;
}

function toClassMajor(x: Float64Array, classes: number, features: number): Float64Array {
  const stride = features + 1;
  const weights = new Float64Array(x.length);
  for (let c = 0; c < classes; c++)
    for (let f = 0; f < stride; f++) weights[c * stride + f] = x[f * classes + c] as number;
  return weights;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Fits the model to grouped rows. Deterministic: the same rows, counts and start always
 * give the same model. Without a start it begins from zero weights and the intercepts at
 * the log class shares.
 */
export function fitSoftmax(
  rows: GroupedRows,
  counts: Float64Array,
  classes: number,
  features: number,
  options: FitOptions = DEFAULT_FIT_OPTIONS,
  start?: SoftmaxModel,
): SoftmaxModel {
  const size = classes * (features + 1);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  const l2Total = options.l2 * Math.max(total, 1);
  const scores = new Float64Array(classes);
  const exps = new Float64Array(classes);
  const weighted = weightedRows(rows, counts, classes);
  let x: Float64Array;
  if (start) {
    if (start.classes !== classes || start.features !== features)
      throw new Error('fitSoftmax: the start model has another shape');
    x = toFeatureMajor(start);
  } else {
    x = new Float64Array(size);
    // Intercepts start at the log class shares, which most of the fit would spend finding.
    const classTotals = new Float64Array(classes);
    for (let r = 0; r < rows.count; r++)
      for (let c = 0; c < classes; c++)
        classTotals[c] = (classTotals[c] as number) + (counts[r * classes + c] as number);
    for (let c = 0; c < classes; c++)
      x[c] = Math.log(((classTotals[c] as number) + 0.5) / (total + 0.5 * classes));
  }
  const g = new Float64Array(size);
  let f = lossAndGradient(x, g, rows, counts, weighted, classes, l2Total, scores, exps);

  const memory = 8;
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const alpha = new Float64Array(memory);
  const direction = new Float64Array(size);
  const xNew = new Float64Array(size);
  const gNew = new Float64Array(size);

  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    // Two-loop recursion: direction = -H g.
    direction.set(g);
    for (let m = sList.length - 1; m >= 0; m--) {
      const a = (rhoList[m] as number) * dot(sList[m] as Float64Array, direction);
      alpha[m] = a;
      const y = yList[m] as Float64Array;
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) - a * (y[i] as number);
    }
    if (sList.length > 0) {
      const s = sList[sList.length - 1] as Float64Array;
      const y = yList[yList.length - 1] as Float64Array;
      const gamma = dot(s, y) / dot(y, y);
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) * gamma;
    } else {
      const norm = Math.sqrt(dot(g, g));
      const scale = norm > 0 ? 1 / Math.max(norm, 1) : 0;
      for (let i = 0; i < size; i++) direction[i] = (direction[i] as number) * scale;
    }
    for (let m = 0; m < sList.length; m++) {
      const y = yList[m] as Float64Array;
      const b = (rhoList[m] as number) * dot(y, direction);
      const s = sList[m] as Float64Array;
      const a = alpha[m] as number;
      for (let i = 0; i < size; i++)
        direction[i] = (direction[i] as number) + (a - b) * (s[i] as number);
    }
    for (let i = 0; i < size; i++) direction[i] = -(direction[i] as number);
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rhoList.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -(g[i] as number);
      slope = dot(g, direction);
      if (slope === 0) break;
    }

    let step = 1;
    let fNew = f;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) xNew[i] = (x[i] as number) + step * (direction[i] as number);
      fNew = lossAndGradient(xNew, gNew, rows, counts, weighted, classes, l2Total, scores, exps);
      if (fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;

    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const improvement = f - fNew;
    f = fNew;
    if (improvement <= options.tolerance * Math.max(Math.abs(f), 1)) break;
  }
  return { classes, features, weights: toClassMajor(x, classes, features) };
}
