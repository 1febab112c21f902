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
 * The rows as paths in a tree of their features: a node stands for the first few
 * features of one or more rows, in the rows' own order, and a row is the node of its
 * whole list. A row's scores are its parent node's scores plus its last feature's
 * weights, and a row's share of the gradient reaches each feature once per node
 * rather than once per row. Dense designs share most of their prefixes (a million
 * RAF-CE samples: 134,000 feature entries over 26,000 rows, 27,000 nodes), so one
 * evaluation adds about a fifth of the weight vectors it would add row by row. The
 * scores are the same sums, added in the same order, as row by row.
 */
interface FeatureTree {
  /** Nodes in the order made: a parent comes before its children. Node 0 is the root (no feature). */
  parent: Int32Array;
  /** The feature a node adds to its parent's (-1 at the root). */
  feature: Int32Array;
  /** Each row's node. */
  nodeOfRow: Int32Array;
}

function featureTree(rows: GroupedRows, features: number): FeatureTree {
  const { count, featureStart } = rows;
  const entries = featureStart[count] as number;
  const parent = new Int32Array(entries + 1);
  const feature = new Int32Array(entries + 1);
  parent[0] = -1;
  feature[0] = -1;
  let nodes = 1;
  const child = new Map<number, number>();
  const nodeOfRow = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let node = 0;
    for (let at = featureStart[r] as number; at < (featureStart[r + 1] as number); at++) {
      const f = rows.features[at] as number;
      const key = node * (features + 1) + f;
      let next = child.get(key);
      if (next === undefined) {
        next = nodes++;
        child.set(key, next);
        parent[next] = node;
        feature[next] = f;
      }
      node = next;
    }
    nodeOfRow[r] = node;
  }
  return { parent: parent.slice(0, nodes), feature: feature.slice(0, nodes), nodeOfRow };
}

/**
 * What one fit evaluates, laid out for it: the rows that carry weight (with a stratified
 * draw of the training samples most rows of a fold have none), and the tree's nodes on
 * their paths, numbered afresh in the same order (parents first). Everything an
 * evaluation reads sits in a few dense arrays, not spread over the whole design's.
 */
interface FitLayout {
  /** Per node (0: the root), its parent's number. */
  parent: Int32Array;
  /** Per node, where its feature's weights start in the parameters ((1 + feature) x classes). */
  weightsAt: Int32Array;
  /** Per weighted row, its node. */
  rowNode: Int32Array;
  /** Per weighted row, its counts by class (rows x classes) and their total. */
  rowCounts: Float64Array;
  rowTotals: Float64Array;
  /** Per node, a row of `classes` numbers: scores going down the tree, gradient shares going up. */
  scores: Float64Array;
  shares: Float64Array;
}

function fitLayout(
  rows: GroupedRows,
  counts: Float64Array,
  classes: number,
  tree: FeatureTree,
): FitLayout {
  const k = classes;
  const active: number[] = [];
  const needed = new Uint8Array(tree.parent.length);
  for (let r = 0; r < rows.count; r++) {
    let n = 0;
    for (let c = 0; c < k; c++) n += counts[r * k + c] as number;
    if (n <= 0) continue;
    active.push(r);
    needed[tree.nodeOfRow[r] as number] = 1;
  }
  // A node's parent is needed when the node is; children come after their parents.
  for (let node = needed.length - 1; node > 0; node--)
    if (needed[node]) needed[tree.parent[node] as number] = 1;
  const numberOf = new Int32Array(tree.parent.length);
  let nodes = 1;
  for (let node = 1; node < needed.length; node++) if (needed[node]) numberOf[node] = nodes++;
  const parent = new Int32Array(nodes);
  const weightsAt = new Int32Array(nodes);
  for (let node = 1; node < needed.length; node++) {
    if (!needed[node]) continue;
    const at = numberOf[node] as number;
    parent[at] = numberOf[tree.parent[node] as number] as number;
    weightsAt[at] = (1 + (tree.feature[node] as number)) * k;
  }
  const rowNode = new Int32Array(active.length);
  const rowCounts = new Float64Array(active.length * k);
  const rowTotals = new Float64Array(active.length);
  active.forEach((r, a) => {
    rowNode[a] = numberOf[tree.nodeOfRow[r] as number] as number;
    let n = 0;
    for (let c = 0; c < k; c++) {
      const y = counts[r * k + c] as number;
      rowCounts[a * k + c] = y;
      n += y;
    }
    rowTotals[a] = n;
  });
  return {
    parent,
    weightsAt,
    rowNode,
    rowCounts,
    rowTotals,
    scores: new Float64Array(nodes * k),
    shares: new Float64Array(nodes * k),
  };
}

/**
 * Loss and gradient of the penalised cross-entropy. The parameters are laid out feature
 * by feature here ((features + 1) x classes, the intercepts first), so that adding a
 * feature's weights to a node's scores, and its share back to the gradient, runs over
 * consecutive memory.
 */
function lossAndGradient(
  x: Float64Array,
  gradient: Float64Array,
  layout: FitLayout,
  classes: number,
  l2Total: number,
  exps: Float64Array,
): number {
  const k = classes;
  const { parent, weightsAt, rowNode, rowCounts, rowTotals, scores, shares } = layout;
  const nodes = parent.length;
  gradient.fill(0);
  // Down the tree: each node's scores from its parent's.
  for (let c = 0; c < k; c++) {
    scores[c] = x[c] as number;
    shares[c] = 0;
  }
  for (let node = 1; node < nodes; node++) {
    const at = node * k;
    const from = (parent[node] as number) * k;
    const base = weightsAt[node] as number;
    for (let c = 0; c < k; c++) {
      scores[at + c] = (scores[from + c] as number) + (x[base + c] as number);
      shares[at + c] = 0;
    }
  }
  let loss = 0;
  for (let a = 0; a < rowNode.length; a++) {
    const at = (rowNode[a] as number) * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++)
      if ((scores[at + c] as number) > max) max = scores[at + c] as number;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((scores[at + c] as number) - max);
      exps[c] = e;
      sum += e;
    }
    const logSum = Math.log(sum) + max;
    const share = (rowTotals[a] as number) / sum;
    const row = a * k;
    for (let c = 0; c < k; c++) {
      const y = rowCounts[row + c] as number;
      if (y > 0) loss -= y * ((scores[at + c] as number) - logSum);
      // The row's share of the gradient: n p - y.
      shares[at + c] = (shares[at + c] as number) + share * (exps[c] as number) - y;
    }
  }
  // Up the tree, children first: each node's share (its rows' and its children's) goes
  // to its feature's weights and on to its parent.
  for (let node = nodes - 1; node > 0; node--) {
    const at = node * k;
    const to = (parent[node] as number) * k;
    const base = weightsAt[node] as number;
    for (let c = 0; c < k; c++) {
      const g = shares[at + c] as number;
      gradient[base + c] = (gradient[base + c] as number) + g;
      shares[to + c] = (shares[to + c] as number) + g;
    }
  }
  for (let c = 0; c < k; c++) gradient[c] = (gradient[c] as number) + (shares[c] as number);
  for (let i = k; i < x.length; i++) {
    const w = x[i] as number;
    loss += 0.5 * l2Total * w * w;
    gradient[i] = (gradient[i] as number) + l2Total * w;
  }
  return loss;
}

/**
 * The objective fitSoftmax minimises and its gradient, at feature-major parameters x
 * ((features + 1) x classes, the intercepts first; l2 as in FitOptions): what the fit
 * computes, exposed so that it can be checked against a plain row-by-row sum.
 */
export function softmaxObjective(
  rows: GroupedRows,
  counts: Float64Array,
  classes: number,
  features: number,
  l2: number,
  x: Float64Array,
): { loss: number; gradient: Float64Array } {
  const layout = fitLayout(rows, counts, classes, featureTree(rows, features));
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  const gradient = new Float64Array(x.length);
  const loss = lossAndGradient(
    x,
    gradient,
    layout,
    classes,
    l2 * Math.max(total, 1),
    new Float64Array(classes),
  );
  return { loss, gradient };
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
  const layout = fitLayout(rows, counts, classes, featureTree(rows, features));
  const exps = new Float64Array(classes);
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
  let f = lossAndGradient(x, g, layout, classes, l2Total, exps);

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
      fNew = lossAndGradient(xNew, gNew, layout, classes, l2Total, exps);
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
