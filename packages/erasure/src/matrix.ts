/**
 * Small dense matrices over GF(2^8), row-major in a Uint8Array. Only what the
 * Reed-Solomon construction needs: Vandermonde, product, sub-rows and
 * Gauss-Jordan inversion.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { MUL_TABLE, gfInv, gfPow } from './gf256.js';

export interface GfMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols entries, row-major. */
  readonly data: Uint8Array;
}

export function zeroMatrix(rows: number, cols: number): GfMatrix {
  return { rows, cols, data: new Uint8Array(rows * cols) };
}

/** Ones on the main diagonal; `rows` may exceed `cols` (the rest stays zero). */
export function identityMatrix(rows: number, cols: number = rows): GfMatrix {
  const m = zeroMatrix(rows, cols);
  for (let i = 0; i < Math.min(rows, cols); i++) m.data[i * cols + i] = 1;
  return m;
}

/** V[r][c] = r^c for r in 0..rows-1: any `cols` distinct rows are independent. */
export function vandermonde(rows: number, cols: number): GfMatrix {
  const m = zeroMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) m.data[r * cols + c] = gfPow(r, c);
  }
  return m;
}

export function multiply(a: GfMatrix, b: GfMatrix): GfMatrix {
  if (a.cols !== b.rows) throw new TesseraError(ErrorCodes.INTERNAL, 'matrix shapes do not match');
  const out = zeroMatrix(a.rows, b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < b.cols; c++) {
      let acc = 0;
      for (let i = 0; i < a.cols; i++) acc ^= MUL_TABLE[(a.data[r * a.cols + i]! << 8) | b.data[i * b.cols + c]!]!;
      out.data[r * b.cols + c] = acc;
    }
  }
  return out;
}

/** The matrix made of the given rows of `m`, in the given order. */
export function selectRows(m: GfMatrix, rowIndices: readonly number[]): GfMatrix {
  const out = zeroMatrix(rowIndices.length, m.cols);
  rowIndices.forEach((r, i) => out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return out;
}

/** Gauss-Jordan elimination on [m | I]. Throws INTERNAL on a singular matrix. */
export function invert(m: GfMatrix): GfMatrix {
  const n = m.rows;
  if (m.cols !== n) throw new TesseraError(ErrorCodes.INTERNAL, 'only square matrices invert');
  const work = Uint8Array.from(m.data);
  const inv = identityMatrix(n).data;
  const swapRows = (buf: Uint8Array, a: number, b: number): void => {
    const tmp = buf.slice(a * n, (a + 1) * n);
    buf.copyWithin(a * n, b * n, (b + 1) * n);
    buf.set(tmp, b * n);
  };
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && work[pivot * n + col] === 0) pivot++;
    // Any k rows of our encoding matrix are independent, so this only fires on a bug.
    if (pivot === n) throw new TesseraError(ErrorCodes.INTERNAL, 'singular matrix');
    if (pivot !== col) {
      swapRows(work, pivot, col);
      swapRows(inv, pivot, col);
    }
    const scale = gfInv(work[col * n + col]!) << 8;
    for (let c = 0; c < n; c++) {
      work[col * n + c] = MUL_TABLE[scale | work[col * n + c]!]!;
      inv[col * n + c] = MUL_TABLE[scale | inv[col * n + c]!]!;
    }
    for (let r = 0; r < n; r++) {
      const factor = work[r * n + col]! << 8;
      if (r === col || factor === 0) continue;
      for (let c = 0; c < n; c++) {
        work[r * n + c]! ^= MUL_TABLE[factor | work[col * n + c]!]!;
        inv[r * n + c]! ^= MUL_TABLE[factor | inv[col * n + c]!]!;
      }
    }
  }
  return { rows: n, cols: n, data: inv };
}
