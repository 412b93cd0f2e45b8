//! Matrix products, through the gemm crate (the kernels candle used, AVX-512 where the processor has it).
//! gemm takes raw pointers and strides; this is the one place in the workspace that calls `unsafe` code,
//! behind views whose every element is checked to lie inside its slice.

/// A matrix read from `data`: element (i, j) at `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub data: &'a [f32],
    pub rows: usize,
    pub cols: usize,
    pub rs: usize,
    pub cs: usize,
}

impl<'a> View<'a> {
    /// A row-major matrix of `rows × cols` starting at `data[0]`, rows `rs` apart.
    pub fn rows(data: &'a [f32], rows: usize, cols: usize, rs: usize) -> View<'a> {
        View { data, rows, cols, rs, cs: 1 }
    }

    /// The transpose of the row-major `rows × cols` matrix at `data[0]` whose rows are `rs` apart.
    pub fn transposed(data: &'a [f32], rows: usize, cols: usize, rs: usize) -> View<'a> {
        View { data, rows: cols, cols: rows, rs: 1, cs: rs }
    }
}

fn inside(len: usize, rows: usize, cols: usize, rs: usize, cs: usize) -> bool {
    rows == 0 || cols == 0 || (rows - 1) * rs + (cols - 1) * cs < len
}

/// `dst = a · b`, or `dst += a · b` when `accumulate`; `dst` is row-major with rows `dst_rs` apart.
/// `threads` above one splits the product over rayon's pool.
pub(crate) fn matmul(dst: &mut [f32], dst_rs: usize, a: View, b: View, accumulate: bool, threads: usize) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert_eq!(k, b.rows, "inner dimensions differ");
    assert!(inside(a.data.len(), a.rows, a.cols, a.rs, a.cs), "left matrix outside its slice");
    assert!(inside(b.data.len(), b.rows, b.cols, b.rs, b.cs), "right matrix outside its slice");
    assert!(inside(dst.len(), m, n, dst_rs, 1), "destination outside its slice");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                dst[i * dst_rs..i * dst_rs + n].fill(0.0);
            }
        }
        return;
    }
    let parallelism = if threads > 1 { gemm::Parallelism::Rayon(threads) } else { gemm::Parallelism::None };
    let s = |x: usize| x as isize;
    // SAFETY: the three assertions above put every element gemm reads or writes inside its slice; `dst` is
    // borrowed mutably and `a`, `b` shared, so they cannot overlap.
    #[allow(unsafe_code)]
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            s(dst_rs),
            accumulate,
            a.data.as_ptr(),
            s(a.cs),
            s(a.rs),
            b.data.as_ptr(),
            s(b.cs),
            s(b.rs),
            1.0f32,
            1.0f32,
            false,
            false,
            false,
            parallelism,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: View, b: View) -> Vec<f32> {
        let mut out = vec![0.0; a.rows * b.cols];
        for i in 0..a.rows {
            for j in 0..b.cols {
                out[i * b.cols + j] =
                    (0..a.cols).map(|p| a.data[i * a.rs + p * a.cs] * b.data[p * b.rs + j * b.cs]).sum();
            }
        }
        out
    }

    #[test]
    fn products_of_strided_views_match_the_definition() {
        let a: Vec<f32> = (0..7 * 5).map(|x| (x % 11) as f32 - 4.0).collect();
        let b: Vec<f32> = (0..6 * 5).map(|x| (x % 7) as f32 * 0.5 - 1.0).collect();
        let (va, vb) = (View::rows(&a, 7, 5, 5), View::transposed(&b, 6, 5, 5));
        let want = naive(va, vb);
        for threads in [1, 2] {
            let mut got = vec![1.0; 7 * 6];
            matmul(&mut got, 6, va, vb, false, threads);
            assert_eq!(got, want);
            matmul(&mut got, 6, va, vb, true, threads);
            assert_eq!(got, want.iter().map(|x| 2.0 * x).collect::<Vec<_>>());
        }
        // A column block of a wider destination: the columns outside it stay as they were.
        let mut wide = vec![9.0; 7 * 10];
        matmul(&mut wide[2..], 10, va, vb, false, 1);
        for i in 0..7 {
            assert_eq!(&wide[i * 10 + 2..i * 10 + 8], &want[i * 6..i * 6 + 6]);
            assert_eq!((wide[i * 10], wide[i * 10 + 1], wide[i * 10 + 8], wide[i * 10 + 9]), (9.0, 9.0, 9.0, 9.0));
        }
    }

    #[test]
    #[should_panic(expected = "outside its slice")]
    fn a_view_past_its_slice_is_refused() {
        let a = vec![0.0f32; 10];
        let mut dst = vec![0.0f32; 9];
        matmul(&mut dst, 3, View::rows(&a, 3, 4, 4), View::rows(&a, 4, 3, 3), false, 1);
    }
}
