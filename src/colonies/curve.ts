// secp256k1 field and curve arithmetic for src/colonies/recover.ts: Jacobian points, fixed-base tables, GLV with wNAF.

export const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const GX = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n;
const GY = 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n;
// GLV endomorphism φ(x, y) = (β·x, y) and a reduced basis of the lattice {(a, b): a + b·λ ≡ 0 mod n}.
const BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een;
const A1 = 0x3086d221a7d46bcde86c90e49284eb15n;
const B1 = -0xe4437ed6010e88286f547fa90abfe4c3n;
const A2 = 0x114ca50f7a8e2f3f657c1108d9d44cfd8n;
const B2 = A1;
const HALF_BITS = 1n << 128n;

/** Thrown inside the arithmetic when a special case turns up; the caller falls back to noble. */
export const SPECIAL = new Error('special case');

export function mod(a: bigint, m = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** a⁻¹ mod m by the extended Euclidean algorithm; a must be non-zero mod m. */
export function inv(a: bigint, m: bigint): bigint {
  let x = mod(a, m);
  if (x === 0n) throw SPECIAL;
  let y = m;
  let u = 1n;
  let v = 0n;
  while (x !== 0n) {
    const q = y / x;
    const t = y - q * x;
    y = x;
    x = t;
    const w = v - q * u;
    v = u;
    u = w;
  }
  return mod(v, m);
}

function sqrN(a: bigint, n: number): bigint {
  let r = a;
  for (let i = 0; i < n; i++) r = (r * r) % P;
  return r;
}

/** √a mod p by libsecp256k1's addition chain for (p + 1) / 4, or undefined when a is not a square. */
export function sqrt(a: bigint): bigint | undefined {
  const x2 = (((a * a) % P) * a) % P;
  const x3 = (((x2 * x2) % P) * a) % P;
  const x6 = (sqrN(x3, 3) * x3) % P;
  const x9 = (sqrN(x6, 3) * x3) % P;
  const x11 = (sqrN(x9, 2) * x2) % P;
  const x22 = (sqrN(x11, 11) * x11) % P;
  const x44 = (sqrN(x22, 22) * x22) % P;
  const x88 = (sqrN(x44, 44) * x44) % P;
  const x176 = (sqrN(x88, 88) * x88) % P;
  const x220 = (sqrN(x176, 44) * x44) % P;
  const x223 = (sqrN(x220, 3) * x3) % P;
  let t = (sqrN(x223, 23) * x22) % P;
  t = (sqrN(t, 6) * x2) % P;
  const r = sqrN(t, 2);
  return (r * r) % P === a ? r : undefined;
}

/** An accumulator in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
export class Jacobian {
  X = 0n;
  Y = 1n;
  Z = 0n;

  // Subtractions are brought back into [0, p) by one conditional addition where their range allows, which is
  // cheaper than a BigInt division; products still take one `% P`.
  double(): void {
    const { X, Y, Z } = this;
    if (Z === 0n) return;
    // dbl-2009-l (a = 0)
    const A = (X * X) % P;
    const B = (Y * Y) % P;
    const C = (B * B) % P;
    const xb = X + B;
    let D = (xb * xb - A - C) % P;
    if (D < 0n) D += P;
    D <<= 1n;
    if (D >= P) D -= P;
    const E = 3n * A;
    const F = (E * E) % P;
    let X3 = F - (D << 1n);
    X3 %= P;
    if (X3 < 0n) X3 += P;
    let Y3 = (E * (D - X3) - (C << 3n)) % P;
    if (Y3 < 0n) Y3 += P;
    this.X = X3;
    this.Y = Y3;
    this.Z = ((Y * Z) << 1n) % P;
  }

  /** Adds the affine point (x, y), negated when `neg`. */
  addAffine(x: bigint, y: bigint, neg: boolean): void {
    const { X, Y, Z } = this;
    if (Z === 0n) {
      this.X = x;
      this.Y = neg ? P - y : y;
      this.Z = 1n;
      return;
    }
    // madd-2007-bl
    const Z1Z1 = (Z * Z) % P;
    const U2 = (x * Z1Z1) % P;
    let S2 = (((y * Z) % P) * Z1Z1) % P;
    if (neg && S2 !== 0n) S2 = P - S2;
    let H = U2 - X;
    if (H < 0n) H += P;
    if (H === 0n) throw SPECIAL; // the same point (a doubling) or its negation (infinity)
    let r = S2 - Y;
    if (r < 0n) r += P;
    r <<= 1n;
    if (r >= P) r -= P;
    const HH = (H * H) % P;
    const I = HH << 2n;
    const J = (H * I) % P;
    const V = (X * I) % P;
    let X3 = (r * r - J - (V << 1n)) % P;
    if (X3 < 0n) X3 += P;
    let Y3 = (r * (V - X3) - (((Y * J) % P) << 1n)) % P;
    if (Y3 < 0n) Y3 += P;
    const zh = Z + H;
    let Z3 = (zh * zh - Z1Z1 - HH) % P;
    if (Z3 < 0n) Z3 += P;
    this.X = X3;
    this.Y = Y3;
    this.Z = Z3;
  }

  /** Affine (x, y); throws at infinity. */
  toAffine(): { x: bigint; y: bigint } {
    if (this.Z === 0n) throw SPECIAL;
    const zi = inv(this.Z, P);
    const zi2 = (zi * zi) % P;
    return { x: (this.X * zi2) % P, y: (((this.Y * zi2) % P) * zi) % P };
  }
}

/** Affine coordinates of several Jacobian points with one inversion (Montgomery's trick). */
function normalize(points: Jacobian[]): { xs: bigint[]; ys: bigint[] } {
  const n = points.length;
  const acc: bigint[] = new Array(n);
  let a = 1n;
  for (let i = 0; i < n; i++) {
    if (points[i].Z === 0n) throw SPECIAL;
    acc[i] = a;
    a = (a * points[i].Z) % P;
  }
  let ai = inv(a, P);
  const xs: bigint[] = new Array(n);
  const ys: bigint[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const zi = (ai * acc[i]) % P;
    ai = (ai * points[i].Z) % P;
    const zi2 = (zi * zi) % P;
    xs[i] = (points[i].X * zi2) % P;
    ys[i] = (((points[i].Y * zi2) % P) * zi) % P;
  }
  return { xs, ys };
}

// ---- fixed-base tables: d·2^(w·i)·Q for every window i and 1 ≤ d ≤ 2^(w−1), affine ----

export interface FixedTable {
  window: number;
  windows: number;
  digits: number;
  xs: bigint[];
  ys: bigint[];
  /** 2^(w·windows)·Q, for a carry out of the top window. */
  top: { x: bigint; y: bigint };
}

export function fixedTable(x: bigint, y: bigint, window: number): FixedTable {
  const windows = Math.ceil(256 / window);
  const digits = 1 << (window - 1); // signed digits −2^(w−1)..2^(w−1)−1 (plus a carry) need multiples 1..2^(w−1)
  const points: Jacobian[] = [];
  let bx = x;
  let by = y;
  for (let w = 0; w < windows; w++) {
    // row w: base, 2·base, ..., digits·base with base = 2^(window·w)·Q
    const acc = new Jacobian();
    acc.addAffine(bx, by, false);
    points.push(copy(acc));
    acc.double();
    points.push(copy(acc));
    for (let d = 3; d <= digits; d++) {
      acc.addAffine(bx, by, false);
      points.push(copy(acc));
    }
    // next base = 2^window·base = 2·(digits·base)
    acc.double();
    const a = acc.toAffine();
    bx = a.x;
    by = a.y;
  }
  const { xs, ys } = normalize(points);
  const table: FixedTable = { window, windows, digits, xs, ys, top: { x: 0n, y: 0n } };
  const top = new Jacobian();
  addFixed(top, table, (1n << BigInt(window * windows)) % N); // about 2^130: no carry out of its own top window
  table.top = top.toAffine();
  return table;
}

function copy(j: Jacobian): Jacobian {
  const c = new Jacobian();
  c.X = j.X;
  c.Y = j.Y;
  c.Z = j.Z;
  return c;
}

/** acc += k·Q from Q's fixed-base table; 0 ≤ k < n. */
export function addFixed(acc: Jacobian, table: FixedTable, k: bigint): void {
  const { window, windows, digits } = table;
  const bits = k.toString(2);
  const len = bits.length;
  let carry = 0;
  for (let w = 0; w < windows; w++) {
    const end = len - window * w;
    if (end <= 0 && carry === 0) break;
    let d = (end > 0 ? parseInt(bits.slice(Math.max(0, end - window), end), 2) : 0) + carry;
    carry = 0;
    if (d > digits) {
      // signed recoding: d − 2^w here, one more in the next window
      d -= 1 << window;
      carry = 1;
    }
    if (d === 0) continue;
    const idx = w * digits + Math.abs(d) - 1;
    acc.addAffine(table.xs[idx], table.ys[idx], d < 0);
  }
  if (carry) acc.addAffine(table.top.x, table.top.y, false);
}

let gTable: FixedTable | undefined;

export function baseTable(): FixedTable {
  gTable ??= fixedTable(GX, GY, 8);
  return gTable;
}

// ---- variable-base: GLV + width-5 wNAF ----

const WNAF = 5;
const ODD = 1 << (WNAF - 2); // odd multiples 1, 3, ..., 15

/** Width-5 non-adjacent form of k ≥ 0, least significant digit first. */
function wnaf(k: bigint): Int8Array {
  const bits = k.toString(2);
  const len = bits.length;
  // Carries can reach one bit past the top; the zeros beyond keep the window reads in bounds.
  const b = new Uint8Array(len + 2 * WNAF + 2);
  for (let i = 0; i < len; i++) b[i] = bits.charCodeAt(len - 1 - i) - 48;
  const out = new Int8Array(len + WNAF + 1);
  let i = 0;
  while (i < out.length) {
    if (b[i] === 0) {
      i++;
      continue;
    }
    let v = 0;
    for (let j = 0; j < WNAF; j++) v |= b[i + j] << j;
    for (let j = 0; j < WNAF; j++) b[i + j] = 0;
    if (v >= 1 << (WNAF - 1)) {
      v -= 1 << WNAF;
      // add 2^WNAF at position i: carry into bit i + WNAF
      let c = i + WNAF;
      while (b[c] === 1) b[c++] = 0;
      b[c] = 1;
    }
    out[i] = v;
    i += WNAF;
  }
  return out;
}

function divNearest(num: bigint, den: bigint): bigint {
  return (num + (num >= 0n ? den : -den) / 2n) / den;
}

/** k ≡ k1 + k2·λ (mod n) with |k1|, |k2| < 2^128. */
function splitScalar(k: bigint): { k1: bigint; k1neg: boolean; k2: bigint; k2neg: boolean } {
  const c1 = divNearest(B2 * k, N);
  const c2 = divNearest(-B1 * k, N);
  let k1 = k - c1 * A1 - c2 * A2;
  let k2 = -c1 * B1 - c2 * B2;
  const k1neg = k1 < 0n;
  const k2neg = k2 < 0n;
  if (k1neg) k1 = -k1;
  if (k2neg) k2 = -k2;
  if (k1 >= HALF_BITS || k2 >= HALF_BITS) throw SPECIAL;
  return { k1, k1neg, k2, k2neg };
}

/** acc = k·(x, y) for a fresh affine point; acc must be at infinity. */
export function mulVariable(acc: Jacobian, x: bigint, y: bigint, k: bigint): void {
  // Odd multiples (2j+1)·R, j < 8, made affine together.
  const twice = new Jacobian();
  twice.addAffine(x, y, false);
  twice.double();
  const t2 = twice.toAffine();
  const multiples: Jacobian[] = [];
  const m = new Jacobian();
  m.addAffine(x, y, false);
  multiples.push(copy(m));
  for (let j = 1; j < ODD; j++) {
    m.addAffine(t2.x, t2.y, false);
    multiples.push(copy(m));
  }
  const { xs, ys } = normalize(multiples);
  const phiXs = xs.map((v) => (v * BETA) % P);
  const { k1, k1neg, k2, k2neg } = splitScalar(k);
  const n1 = wnaf(k1);
  const n2 = wnaf(k2);
  for (let i = Math.max(n1.length, n2.length) - 1; i >= 0; i--) {
    acc.double();
    const d1 = i < n1.length ? n1[i] : 0;
    if (d1 !== 0) {
      const j = (Math.abs(d1) - 1) >> 1;
      acc.addAffine(xs[j], ys[j], d1 < 0 !== k1neg);
    }
    const d2 = i < n2.length ? n2[i] : 0;
    if (d2 !== 0) {
      const j = (Math.abs(d2) - 1) >> 1;
      acc.addAffine(phiXs[j], ys[j], d2 < 0 !== k2neg);
    }
  }
}
