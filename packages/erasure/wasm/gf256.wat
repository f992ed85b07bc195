;; GF(2^8) multiply-accumulate over many shards with WebAssembly SIMD.
;;
;; Written by hand; assembled by scripts/build-wasm.ts (npm run gen:wasm) into
;; src/gf256-wasm.generated.ts. Field arithmetic is not in here at all: the
;; caller (TypeScript) supplies, per coefficient, a 32-byte split-nibble table
;;   bytes  0..15: c * n         for n = 0..15   (low-nibble products)
;;   bytes 16..31: c * (n << 4)  for n = 0..15   (high-nibble products)
;; so that c * x = lo[x & 15] ^ hi[x >> 4], and i8x16.swizzle (PSHUFB on x64,
;; TBL on arm64) looks up 16 bytes at once: the technique of ISA-L's gf_vect_*.
;;
;; Memory is owned by this module and grown by the caller (memory.grow through
;; the exported memory); the caller lays out, all inside memory:
;;   in_ptrs   n_in  little-endian i32 addresses of the input shards
;;   out_ptrs  n_out i32 addresses of the output shards
;;   tables    n_out * n_in tables of 32 bytes, row-major:
;;             output row r, input c at tables + (r * n_in + c) * 32
;; and every input and output buffer must be readable/writable up to `len`
;; rounded up to a multiple of 32 (the loops handle 32 bytes per step).
;;
;; out[r][i] = XOR over c of (matrix[r][c] * in[c][i]) for i < len.
;;
;; Each pass over the input computes up to four output rows, so one load of an
;; input vector (and its nibble split) feeds several rows, and every input
;; byte is read once per group of four rows instead of once per row.
(module
  (memory (export "memory") 1)

  ;; Entry point: output rows in groups of 4, then a 3-, 2- or 1-row tail.
  (func (export "mul_rows")
    (param $n_in i32) (param $n_out i32) (param $in_ptrs i32) (param $out_ptrs i32)
    (param $tables i32) (param $len i32)
    (local $group_table_bytes i32)
    ;; tables of one output row: n_in * 32 bytes
    (local.set $group_table_bytes (i32.shl (local.get $n_in) (i32.const 5)))
    (block $tail
      (loop $groups
        (br_if $tail (i32.lt_u (local.get $n_out) (i32.const 4)))
        (call $rows4 (local.get $n_in) (local.get $in_ptrs) (local.get $out_ptrs)
          (local.get $tables) (local.get $group_table_bytes) (local.get $len))
        (local.set $n_out (i32.sub (local.get $n_out) (i32.const 4)))
        (local.set $out_ptrs (i32.add (local.get $out_ptrs) (i32.const 16)))
        (local.set $tables (i32.add (local.get $tables) (i32.shl (local.get $group_table_bytes) (i32.const 2))))
        (br $groups)))
    (if (i32.eq (local.get $n_out) (i32.const 3))
      (then (call $rows3 (local.get $n_in) (local.get $in_ptrs) (local.get $out_ptrs)
        (local.get $tables) (local.get $group_table_bytes) (local.get $len))))
    (if (i32.eq (local.get $n_out) (i32.const 2))
      (then (call $rows2 (local.get $n_in) (local.get $in_ptrs) (local.get $out_ptrs)
        (local.get $tables) (local.get $group_table_bytes) (local.get $len))))
    (if (i32.eq (local.get $n_out) (i32.const 1))
      (then (call $rows1 (local.get $n_in) (local.get $in_ptrs) (local.get $out_ptrs)
        (local.get $tables) (local.get $len)))))

  ;; One output row, 32 bytes per step (two independent vectors for ILP).
  (func $rows1
    (param $n_in i32) (param $in_ptrs i32) (param $out_ptrs i32) (param $tables i32) (param $len i32)
    (local $off i32) (local $c i32) (local $src i32) (local $t i32)
    (local $mask v128) (local $tlo v128) (local $thi v128)
    (local $x v128) (local $y v128) (local $a v128) (local $b v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $a (v128.const i64x2 0 0))
        (local.set $b (v128.const i64x2 0 0))
        (local.set $t (local.get $tables))
        (local.set $c (i32.const 0))
        (loop $input
          (local.set $src (i32.add (local.get $off)
            (i32.load (i32.add (local.get $in_ptrs) (i32.shl (local.get $c) (i32.const 2))))))
          (local.set $tlo (v128.load (local.get $t)))
          (local.set $thi (v128.load offset=16 (local.get $t)))
          (local.set $x (v128.load (local.get $src)))
          (local.set $y (v128.load offset=16 (local.get $src)))
          (local.set $a (v128.xor (local.get $a) (v128.xor
            (i8x16.swizzle (local.get $tlo) (v128.and (local.get $x) (local.get $mask)))
            (i8x16.swizzle (local.get $thi) (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (local.get $mask))))))
          (local.set $b (v128.xor (local.get $b) (v128.xor
            (i8x16.swizzle (local.get $tlo) (v128.and (local.get $y) (local.get $mask)))
            (i8x16.swizzle (local.get $thi) (v128.and (i16x8.shr_u (local.get $y) (i32.const 4)) (local.get $mask))))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $input (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $n_in))))
        (local.set $src (i32.add (local.get $off) (i32.load (local.get $out_ptrs))))
        (v128.store (local.get $src) (local.get $a))
        (v128.store offset=16 (local.get $src) (local.get $b))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $step))))

  ;; Two output rows, 32 bytes per step.
  (func $rows2
    (param $n_in i32) (param $in_ptrs i32) (param $out_ptrs i32) (param $tables i32)
    (param $row_table_bytes i32) (param $len i32)
    (local $off i32) (local $c i32) (local $src i32) (local $t i32) (local $dst i32)
    (local $mask v128) (local $tlo v128) (local $thi v128)
    (local $xlo v128) (local $xhi v128) (local $ylo v128) (local $yhi v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $t (local.get $tables))
        (local.set $c (i32.const 0))
        (loop $input
          (local.set $src (i32.add (local.get $off)
            (i32.load (i32.add (local.get $in_ptrs) (i32.shl (local.get $c) (i32.const 2))))))
          ;; split both vectors into nibbles once; every row reuses them
          (local.set $xlo (v128.load (local.get $src)))
          (local.set $ylo (v128.load offset=16 (local.get $src)))
          (local.set $xhi (v128.and (i16x8.shr_u (local.get $xlo) (i32.const 4)) (local.get $mask)))
          (local.set $yhi (v128.and (i16x8.shr_u (local.get $ylo) (i32.const 4)) (local.get $mask)))
          (local.set $xlo (v128.and (local.get $xlo) (local.get $mask)))
          (local.set $ylo (v128.and (local.get $ylo) (local.get $mask)))
          ;; row 0
          (local.set $tlo (v128.load (local.get $t)))
          (local.set $thi (v128.load offset=16 (local.get $t)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $xlo)) (i8x16.swizzle (local.get $thi) (local.get $xhi)))))
          (local.set $b0 (v128.xor (local.get $b0) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $ylo)) (i8x16.swizzle (local.get $thi) (local.get $yhi)))))
          ;; row 1
          (local.set $tlo (v128.load (i32.add (local.get $t) (local.get $row_table_bytes))))
          (local.set $thi (v128.load offset=16 (i32.add (local.get $t) (local.get $row_table_bytes))))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $xlo)) (i8x16.swizzle (local.get $thi) (local.get $xhi)))))
          (local.set $b1 (v128.xor (local.get $b1) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $ylo)) (i8x16.swizzle (local.get $thi) (local.get $yhi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $input (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $n_in))))
        (local.set $dst (i32.add (local.get $off) (i32.load (local.get $out_ptrs))))
        (v128.store (local.get $dst) (local.get $a0))
        (v128.store offset=16 (local.get $dst) (local.get $b0))
        (local.set $dst (i32.add (local.get $off) (i32.load offset=4 (local.get $out_ptrs))))
        (v128.store (local.get $dst) (local.get $a1))
        (v128.store offset=16 (local.get $dst) (local.get $b1))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $step))))

  ;; Three output rows, 32 bytes per step.
  (func $rows3
    (param $n_in i32) (param $in_ptrs i32) (param $out_ptrs i32) (param $tables i32)
    (param $row_table_bytes i32) (param $len i32)
    (local $off i32) (local $c i32) (local $src i32) (local $t i32) (local $dst i32)
    (local $mask v128) (local $tlo v128) (local $thi v128)
    (local $xlo v128) (local $xhi v128) (local $ylo v128) (local $yhi v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128) (local $a2 v128) (local $b2 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $b2 (v128.const i64x2 0 0))
        (local.set $t (local.get $tables))
        (local.set $c (i32.const 0))
        (loop $input
          (local.set $src (i32.add (local.get $off)
            (i32.load (i32.add (local.get $in_ptrs) (i32.shl (local.get $c) (i32.const 2))))))
          (local.set $xlo (v128.load (local.get $src)))
          (local.set $ylo (v128.load offset=16 (local.get $src)))
          (local.set $xhi (v128.and (i16x8.shr_u (local.get $xlo) (i32.const 4)) (local.get $mask)))
          (local.set $yhi (v128.and (i16x8.shr_u (local.get $ylo) (i32.const 4)) (local.get $mask)))
          (local.set $xlo (v128.and (local.get $xlo) (local.get $mask)))
          (local.set $ylo (v128.and (local.get $ylo) (local.get $mask)))
          ;; row 0
          (local.set $tlo (v128.load (local.get $t)))
          (local.set $thi (v128.load offset=16 (local.get $t)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $xlo)) (i8x16.swizzle (local.get $thi) (local.get $xhi)))))
          (local.set $b0 (v128.xor (local.get $b0) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $ylo)) (i8x16.swizzle (local.get $thi) (local.get $yhi)))))
          ;; row 1
          (local.set $dst (i32.add (local.get $t) (local.get $row_table_bytes)))
          (local.set $tlo (v128.load (local.get $dst)))
          (local.set $thi (v128.load offset=16 (local.get $dst)))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $xlo)) (i8x16.swizzle (local.get $thi) (local.get $xhi)))))
          (local.set $b1 (v128.xor (local.get $b1) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $ylo)) (i8x16.swizzle (local.get $thi) (local.get $yhi)))))
          ;; row 2
          (local.set $dst (i32.add (local.get $dst) (local.get $row_table_bytes)))
          (local.set $tlo (v128.load (local.get $dst)))
          (local.set $thi (v128.load offset=16 (local.get $dst)))
          (local.set $a2 (v128.xor (local.get $a2) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $xlo)) (i8x16.swizzle (local.get $thi) (local.get $xhi)))))
          (local.set $b2 (v128.xor (local.get $b2) (v128.xor
            (i8x16.swizzle (local.get $tlo) (local.get $ylo)) (i8x16.swizzle (local.get $thi) (local.get $yhi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $input (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $n_in))))
        (local.set $dst (i32.add (local.get $off) (i32.load (local.get $out_ptrs))))
        (v128.store (local.get $dst) (local.get $a0))
        (v128.store offset=16 (local.get $dst) (local.get $b0))
        (local.set $dst (i32.add (local.get $off) (i32.load offset=4 (local.get $out_ptrs))))
        (v128.store (local.get $dst) (local.get $a1))
        (v128.store offset=16 (local.get $dst) (local.get $b1))
        (local.set $dst (i32.add (local.get $off) (i32.load offset=8 (local.get $out_ptrs))))
        (v128.store (local.get $dst) (local.get $a2))
        (v128.store offset=16 (local.get $dst) (local.get $b2))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $step))))

  ;; Four output rows, 16 bytes per step (eight accumulators would not fit
  ;; the sixteen x64 vector registers alongside the tables and nibbles).
  (func $rows4
    (param $n_in i32) (param $in_ptrs i32) (param $out_ptrs i32) (param $tables i32)
    (param $row_table_bytes i32) (param $len i32)
    (local $off i32) (local $c i32) (local $src i32) (local $t i32) (local $dst i32)
    (local $mask v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $t (local.get $tables))
        (local.set $c (i32.const 0))
        (loop $input
          (local.set $src (i32.add (local.get $off)
            (i32.load (i32.add (local.get $in_ptrs) (i32.shl (local.get $c) (i32.const 2))))))
          (local.set $lo (v128.load (local.get $src)))
          (local.set $hi (v128.and (i16x8.shr_u (local.get $lo) (i32.const 4)) (local.get $mask)))
          (local.set $lo (v128.and (local.get $lo) (local.get $mask)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (v128.load (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $dst (i32.add (local.get $t) (local.get $row_table_bytes)))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.swizzle (v128.load (local.get $dst)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $dst)) (local.get $hi)))))
          (local.set $dst (i32.add (local.get $dst) (local.get $row_table_bytes)))
          (local.set $a2 (v128.xor (local.get $a2) (v128.xor
            (i8x16.swizzle (v128.load (local.get $dst)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $dst)) (local.get $hi)))))
          (local.set $dst (i32.add (local.get $dst) (local.get $row_table_bytes)))
          (local.set $a3 (v128.xor (local.get $a3) (v128.xor
            (i8x16.swizzle (v128.load (local.get $dst)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $dst)) (local.get $hi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (br_if $input (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $n_in))))
        (v128.store (i32.add (local.get $off) (i32.load (local.get $out_ptrs))) (local.get $a0))
        (v128.store (i32.add (local.get $off) (i32.load offset=4 (local.get $out_ptrs))) (local.get $a1))
        (v128.store (i32.add (local.get $off) (i32.load offset=8 (local.get $out_ptrs))) (local.get $a2))
        (v128.store (i32.add (local.get $off) (i32.load offset=12 (local.get $out_ptrs))) (local.get $a3))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $step))))
)
