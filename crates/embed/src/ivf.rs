//! Approximate nearest neighbours over the int8 work vectors: an inverted file (IVF). The vectors are
//! grouped around about √n centroids (spherical k-means on a sample); a query reads only the groups of its
//! [`PROBES`] nearest centroids. Chosen over a graph index (HNSW) for its footprint: the lists hold one u32
//! per work (6 MB for 1.46 million works) where a graph holds dozens of links per work plus its own copy
//! of every vector, and it builds in seconds from the vectors already on disk. Derived data: deleting the
//! file only costs a rebuild.
//!
//! Works embedded after the build (an ingest's new works) are not in any list; they are always scanned,
//! exactly, until the next `arrow embed` rebuilds the file.

use crate::EmbedError;
use std::io::{Read, Write};
use std::path::Path;

/// Below this many vectors a query scans them all (a few milliseconds) and no index is built.
pub const IVF_MIN: usize = 50_000;
/// Groups read per query. SciFact-size and DBLP-size figures of recall against the exact scan are in
/// docs/semantic.md.
pub const PROBES: usize = 64;
/// Enough candidates: further groups are not read (unless every group is asked for).
pub const CANDIDATES: usize = 60_000;
/// k-means rounds on the sample.
const ROUNDS: usize = 8;
/// Sample vectors per centroid for k-means.
const SAMPLE_PER_LIST: usize = 32;
const MAGIC: &[u8; 8] = b"ARROWIVF";
const VERSION: u32 = 1;

#[derive(Clone, Debug)]
pub struct Ivf {
    dim: usize,
    /// Quantised unit centroids, `lists × dim`.
    centroids: Vec<i8>,
    lists: Vec<Vec<u32>>,
    /// Slots `0..covered` are in the lists.
    pub(crate) covered: usize,
    /// Hash of the keys of slots `0..covered`, in order: the file belongs to these vectors.
    pub(crate) fingerprint: u64,
}

/// Int8 codes of a vector, scaled so its largest value is ±127 (a dot product of two such codes ranks as
/// the float one does, up to rounding).
pub(crate) fn quantise(v: &[f32]) -> Vec<i8> {
    let top = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if top > 0.0 { top / 127.0 } else { 1.0 };
    v.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect()
}

/// The dot product of two int8 vectors. Written as sixteen lanes of i16 products summed in i32 so that the
/// compiler vectorises it on baseline x86-64 (SSE2): twice as fast as the plain sum of i32 products.
pub(crate) fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut lanes = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: i32 = ca.remainder().iter().zip(cb.remainder()).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
    for (x, y) in ca.zip(cb) {
        for j in 0..16 {
            lanes[j] += i32::from(i16::from(x[j]) * i16::from(y[j]));
        }
    }
    lanes.iter().sum::<i32>() + tail
}

impl Ivf {
    /// Groups `n` vectors (`code(i)` gives slot i's int8 codes) around `lists` centroids.
    pub fn build<'a>(
        dim: usize,
        n: usize,
        lists: usize,
        code: impl Fn(usize) -> &'a [i8] + Sync,
        fingerprint: u64,
    ) -> Ivf {
        let lists = lists.clamp(1, n.max(1));
        let sample: Vec<usize> = spread(n, (lists * SAMPLE_PER_LIST).min(n));
        let mut centroids: Vec<i8> =
            spread(sample.len(), lists).iter().flat_map(|&s| code(sample[s]).to_vec()).collect();
        for _ in 0..ROUNDS {
            let assigned = assign(dim, &centroids, &sample, &code);
            let mut sums = vec![0f32; lists * dim];
            for (&slot, &c) in sample.iter().zip(&assigned) {
                for (s, &x) in sums[c * dim..(c + 1) * dim].iter_mut().zip(code(slot)) {
                    *s += f32::from(x);
                }
            }
            for (c, sum) in sums.chunks(dim).enumerate() {
                // An empty group keeps its centroid.
                if sum.iter().any(|&x| x != 0.0) {
                    centroids[c * dim..(c + 1) * dim].copy_from_slice(&quantise(sum));
                }
            }
        }
        let all: Vec<usize> = (0..n).collect();
        let mut groups = vec![Vec::new(); lists];
        for (slot, c) in assign(dim, &centroids, &all, &code).into_iter().enumerate() {
            groups[c].push(slot as u32);
        }
        Ivf { dim, centroids, lists: groups, covered: n, fingerprint }
    }

    /// The slots in the groups of the centroids nearest to `query` (int8 codes), nearest first: `probes`
    /// groups, or fewer once they hold [`CANDIDATES`] slots (groups are uneven: on DBLP titles the largest
    /// holds 57,000 works, the median 177).
    pub fn candidates(&self, query: &[i8], probes: usize) -> Vec<u32> {
        let mut order: Vec<(i32, usize)> =
            self.centroids.chunks(self.dim).enumerate().map(|(c, v)| (dot_i8(v, query), c)).collect();
        order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out = Vec::new();
        for &(_, c) in order.iter().take(probes.max(1)) {
            if out.len() >= CANDIDATES && probes < order.len() {
                break;
            }
            out.extend_from_slice(&self.lists[c]);
        }
        out
    }

    pub fn lists(&self) -> usize {
        self.lists.len()
    }

    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        let tmp = path.with_extension("ivf-tmp");
        let write = || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            w.write_all(MAGIC)?;
            for n in [VERSION, self.dim as u32, self.lists.len() as u32, self.covered as u32] {
                w.write_all(&n.to_le_bytes())?;
            }
            w.write_all(&self.fingerprint.to_le_bytes())?;
            w.write_all(&self.centroids.iter().map(|&c| c as u8).collect::<Vec<u8>>())?;
            for list in &self.lists {
                w.write_all(&(list.len() as u32).to_le_bytes())?;
                for slot in list {
                    w.write_all(&slot.to_le_bytes())?;
                }
            }
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| EmbedError::io(path, e))
    }

    /// The index in `path`; `None` when there is none.
    pub fn open(path: &Path) -> Result<Option<Ivf>, EmbedError> {
        let mut bytes = Vec::new();
        match std::fs::File::open(path) {
            Ok(mut f) => f.read_to_end(&mut bytes).map_err(|e| EmbedError::io(path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EmbedError::io(path, e)),
        };
        let corrupt =
            || EmbedError::Corrupt { path: path.display().to_string(), reason: "not a whole IVF index".into() };
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], EmbedError> {
            let part = bytes.get(at..at + n).ok_or_else(corrupt)?;
            at += n;
            Ok(part)
        };
        if take(8)? != MAGIC {
            return Err(corrupt());
        }
        let mut word = || -> Result<usize, EmbedError> {
            Ok(u32::from_le_bytes(take(4)?.try_into().map_err(|_| corrupt())?) as usize)
        };
        let (version, dim, lists, covered) = (word()?, word()?, word()?, word()?);
        if version != VERSION as usize {
            return Err(corrupt());
        }
        let fingerprint = u64::from_le_bytes(take(8)?.try_into().map_err(|_| corrupt())?);
        let centroids: Vec<i8> = take(lists * dim)?.iter().map(|&b| b as i8).collect();
        let mut groups = Vec::with_capacity(lists);
        for _ in 0..lists {
            let len = u32::from_le_bytes(take(4)?.try_into().map_err(|_| corrupt())?) as usize;
            let raw = take(len * 4)?;
            groups.push(raw.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default())).collect());
        }
        Ok(Some(Ivf { dim, centroids, lists: groups, covered, fingerprint }))
    }
}

/// `k` indices spread evenly over `0..n` (deterministic: the same input gives the same index).
fn spread(n: usize, k: usize) -> Vec<usize> {
    (0..k).map(|i| i * n / k.max(1)).collect()
}

/// The nearest centroid of each slot, split across the cores.
fn assign<'a>(dim: usize, centroids: &[i8], slots: &[usize], code: &(impl Fn(usize) -> &'a [i8] + Sync)) -> Vec<usize> {
    let nearest = |slot: usize| {
        let v = code(slot);
        let mut best = (i32::MIN, 0usize);
        for (c, centroid) in centroids.chunks(dim).enumerate() {
            let d = dot_i8(v, centroid);
            if d > best.0 {
                best = (d, c);
            }
        }
        best.1
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let per = slots.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = slots
            .chunks(per)
            .map(|part| s.spawn(move || part.iter().map(|&i| nearest(i)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}
