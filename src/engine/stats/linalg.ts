/**
 * Small dense linear algebra for model fitting (Cox, logistic): symmetric positive-definite systems by
 * Cholesky, with singularity detection. Matrices are arrays of rows (number[][]); p is small (< 100).
 */

/** Thrown when a matrix is not positive definite to working precision (singular design, separation, ...). */
export class SingularMatrixError extends Error {
  constructor(public readonly column: number, message = `matrix is singular or not positive definite at column ${column + 1}`) {
    super(message);
    this.name = 'SingularMatrixError';
  }
}

/**
 * Cholesky factor L (lower triangular, A = L Lᵀ). `tol` is relative to the largest diagonal element,
 * like survival's `toler.chol` (default .Machine$double.eps^0.75).
 */
export function cholesky(a: number[][], tol = Math.pow(2.220446049250313e-16, 0.75)): number[][] {
  const n = a.length;
  const af = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) af[i * n + j] = a[i][j];
  const lf = new Float64Array(n * n);
  choleskyFlat(af, n, tol, lf);
  return Array.from({ length: n }, (_, i) => Array.from(lf.subarray(i * n, i * n + n)));
}

/**
 * cholesky() on flat row-major n × n arrays (the same operations in the same order): reads the lower triangle of
 * `a` only and writes L (zero above the diagonal) into `l`, which may be reused between calls.
 */
export function choleskyFlat(a: Float64Array, n: number, tol: number, l: Float64Array): void {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  const eps = tol * (maxDiag || 1);
  l.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= l[rj + k] * l[rj + k];
    if (!(d > eps)) throw new SingularMatrixError(j);
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      l[ri + j] = s / ljj;
    }
  }
}

/** Solves A x = b given the Cholesky factor L of A. */
export function cholSolve(l: number[][], b: number[]): number[] {
  const n = l.length;
  const lf = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lf[i * n + j] = l[i][j];
  const x = new Float64Array(n);
  cholSolveFlat(lf, n, Float64Array.from(b), x, new Float64Array(n));
  return Array.from(x);
}

/** cholSolve() on a flat factor (choleskyFlat): x = A⁻¹ b, with `work` (n values) for the forward solve. */
export function cholSolveFlat(l: Float64Array, n: number, b: ArrayLike<number>, x: Float64Array, work: Float64Array): void {
  const y = work;
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}

/** Inverse of a symmetric positive-definite matrix. */
export function invertSpd(a: number[][], tol?: number): number[][] {
  const l = cholesky(a, tol);
  const n = a.length;
  const inv: number[][] = [];
  for (let j = 0; j < n; j++) {
    const e = new Array<number>(n).fill(0);
    e[j] = 1;
    inv.push(cholSolve(l, e));
  }
  // inv[j] is column j; the inverse is symmetric, so rows = columns. Symmetrise against rounding.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const m = (inv[i][j] + inv[j][i]) / 2; inv[i][j] = m; inv[j][i] = m; }
  return inv;
}

/** Solves A x = b for symmetric positive-definite A. */
export function solveSpd(a: number[][], b: number[], tol?: number): number[] {
  return cholSolve(cholesky(a, tol), b);
}

/** xᵀ A⁻¹ x for SPD A (Wald and score statistics). */
export function quadFormInv(a: number[][], x: number[], tol?: number): number {
  const s = solveSpd(a, x, tol);
  let q = 0;
  for (let i = 0; i < x.length; i++) q += x[i] * s[i];
  return q;
}

/**
 * Generalised inverse of a symmetric non-negative definite matrix by eigen-free Cholesky with pivot dropping
 * (as survival's cholesky2/chinv2: columns whose pivot is below tol are set to zero). Used by the k-group log-rank.
 * Returns the inverse and the rank.
 */
export function ginvSymmetric(a: number[][], tol = 1e-9): { inv: number[][]; rank: number } {
  const n = a.length;
  // LDLᵀ with dropped pivots (survival's cholesky2 semantics).
  const m = a.map((r) => r.slice());
  let eps = 0;
  for (let i = 0; i < n; i++) eps = Math.max(eps, Math.abs(m[i][i]));
  eps *= tol;
  let rank = 0;
  const zero = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const pivot = m[i][i];
    if (!Number.isFinite(pivot) || pivot < eps) { zero[i] = true; for (let j = i; j < n; j++) m[j][i] = 0; continue; }
    rank++;
    for (let j = i + 1; j < n; j++) {
      const temp = m[j][i] / pivot;
      m[j][i] = temp;
      m[j][j] -= temp * temp * pivot;
      for (let k = j + 1; k < n; k++) m[k][j] -= temp * m[k][i];
    }
  }
  // Invert: L⁻¹ then D⁻¹, then (L⁻¹)ᵀ D⁻¹ L⁻¹ (chinv2).
  for (let i = 0; i < n; i++) {
    if (zero[i]) { for (let j = 0; j < n; j++) { m[i][j] = 0; m[j][i] = 0; } continue; }
    m[i][i] = 1 / m[i][i];
    for (let j = i + 1; j < n; j++) {
      m[j][i] = -m[j][i];
      for (let k = 0; k < i; k++) m[j][k] += m[j][i] * m[i][k];
    }
  }
  for (let i = 0; i < n; i++) {
    if (zero[i]) continue;
    for (let j = i + 1; j < n; j++) {
      const temp = m[j][i] * m[j][j];
      if (j !== i) m[i][j] = temp;
      for (let k = i; k < j; k++) m[i][k] += temp * m[j][k];
    }
  }
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { inv[i][j] = zero[i] || zero[j] ? 0 : m[i][j]; inv[j][i] = inv[i][j]; }
  return { inv, rank };
}

/**
 * Least squares by Householder QR (as lm's LINPACK dqrdc2, without its column moves): X is n×p (rows), y has n
 * values. A column whose norm left after the previous reflections is below `tol` (1e-7, lm's default) times its
 * original norm is aliased (collinear with the columns before it): SingularMatrixError names it. Returns the
 * coefficients and R⁻¹ (upper triangular; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ).
 */
export function leastSquaresQr(x: number[][], y: number[], tol = 1e-7): { coef: number[]; rInv: number[][] } {
  const n = x.length, p = x[0]?.length ?? 0;
  const a = x.map((r) => r.slice());
  const b = y.slice();
  const norm0 = new Array<number>(p).fill(0);
  for (const r of a) for (let j = 0; j < p; j++) norm0[j] += r[j] * r[j];
  for (let j = 0; j < p; j++) norm0[j] = Math.sqrt(norm0[j]);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = j; i < n; i++) s += a[i][j] * a[i][j];
    const nrm = Math.sqrt(s);
    if (!(nrm > tol * norm0[j])) throw new SingularMatrixError(j, `column ${j + 1} is collinear with the columns before it`);
    const alpha = a[j][j] > 0 ? -nrm : nrm;
    const v0 = a[j][j] - alpha;
    const vtv = s - a[j][j] * a[j][j] + v0 * v0;
    a[j][j] = v0;
    const reflect = (get: (i: number) => number, set: (i: number, v: number) => void) => {
      let d = 0;
      for (let i = j; i < n; i++) d += a[i][j] * get(i);
      const f = (2 * d) / vtv;
      for (let i = j; i < n; i++) set(i, get(i) - f * a[i][j]);
    };
    for (let k = j + 1; k < p; k++) reflect((i) => a[i][k], (i, v) => { a[i][k] = v; });
    reflect((i) => b[i], (i, v) => { b[i] = v; });
    a[j][j] = alpha; // R's diagonal; the reflector of column j is no longer needed
  }
  const rInv: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = p - 1; j >= 0; j--) {
    rInv[j][j] = 1 / a[j][j];
    for (let k = j + 1; k < p; k++) {
      let s = 0;
      for (let m = j + 1; m <= k; m++) s += a[j][m] * rInv[m][k];
      rInv[j][k] = -s / a[j][j];
    }
  }
  const coef = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) for (let k = j; k < p; k++) coef[j] += rInv[j][k] * b[k];
  return { coef, rInv };
}
