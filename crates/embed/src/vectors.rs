//! Work vectors on disk: one file of int8-quantised unit vectors keyed by store key, each with the hash of
//! the text it was computed from, so that `arrow embed` recomputes only works whose text changed. Derived
//! data like the index, outside the store (no schema change): deleting the file only costs re-embedding.
//!
//! Layout (little-endian): `ARROWVEC`, version u32, dimensions u32, count u64; then per work: key i64,
//! text hash u64, scale f32, and one i8 per dimension (value = code × scale). 384 dimensions take 404
//! bytes per work, a quarter of f32.

use crate::ivf::{dot_i8, quantise, Ivf, IVF_MIN, PROBES};
use crate::EmbedError;
use std::collections::HashMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"ARROWVEC";
const VERSION: u32 = 1;

/// The vectors of a data directory, in memory.
#[derive(Clone, Debug, Default)]
pub struct Vectors {
    dim: usize,
    keys: Vec<i64>,
    hashes: Vec<u64>,
    scales: Vec<f32>,
    codes: Vec<i8>,
    slots: HashMap<i64, usize>,
    /// The approximate index over slots `0..ivf.covered`, when there are enough vectors to need one.
    ivf: Option<Ivf>,
}

impl Vectors {
    pub fn new(dim: usize) -> Vectors {
        Vectors { dim, ..Vectors::default() }
    }

    /// Reads `path`; `None` when there is no such file.
    pub fn open(path: &Path) -> Result<Option<Vectors>, EmbedError> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EmbedError::io(path, e)),
        };
        let corrupt = |reason: &str| EmbedError::Corrupt { path: path.display().to_string(), reason: reason.into() };
        let mut r = BufReader::new(file);
        let mut head = [0u8; 24];
        r.read_exact(&mut head).map_err(|_| corrupt("shorter than its header"))?;
        if &head[..8] != MAGIC {
            return Err(corrupt("not an Arrow vector file"));
        }
        if u32::from_le_bytes(head[8..12].try_into().unwrap_or_default()) != VERSION {
            return Err(corrupt("written by another Arrow version"));
        }
        let dim = u32::from_le_bytes(head[12..16].try_into().unwrap_or_default()) as usize;
        let count = u64::from_le_bytes(head[16..24].try_into().unwrap_or_default()) as usize;
        let mut v = Vectors::new(dim);
        let mut record = vec![0u8; 20 + dim];
        for _ in 0..count {
            r.read_exact(&mut record).map_err(|_| corrupt("cut short"))?;
            let key = i64::from_le_bytes(record[0..8].try_into().unwrap_or_default());
            let hash = u64::from_le_bytes(record[8..16].try_into().unwrap_or_default());
            let scale = f32::from_le_bytes(record[16..20].try_into().unwrap_or_default());
            v.slots.insert(key, v.keys.len());
            v.keys.push(key);
            v.hashes.push(hash);
            v.scales.push(scale);
            v.codes.extend(record[20..].iter().map(|&b| b as i8));
        }
        // The index is kept only if it was built over these vectors (a prefix of them: later ones are scanned).
        v.ivf = Ivf::open(&ivf_path(path))?
            .filter(|ivf| ivf.covered <= v.keys.len() && ivf.fingerprint == fingerprint(&v.keys[..ivf.covered]));
        Ok(Some(v))
    }

    /// Writes to `path` through a temporary file, so a crash leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| EmbedError::io(dir, e))?;
        }
        let tmp = path.with_extension("tmp");
        let write = || -> std::io::Result<()> {
            let mut w = BufWriter::new(std::fs::File::create(&tmp)?);
            w.write_all(MAGIC)?;
            w.write_all(&VERSION.to_le_bytes())?;
            w.write_all(&(self.dim as u32).to_le_bytes())?;
            w.write_all(&(self.keys.len() as u64).to_le_bytes())?;
            for (i, key) in self.keys.iter().enumerate() {
                w.write_all(&key.to_le_bytes())?;
                w.write_all(&self.hashes[i].to_le_bytes())?;
                w.write_all(&self.scales[i].to_le_bytes())?;
                let codes: Vec<u8> = self.code(i).iter().map(|&c| c as u8).collect();
                w.write_all(&codes)?;
            }
            w.into_inner().map_err(|e| e.into_error())?.sync_all()
        };
        write().map_err(|e| EmbedError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| EmbedError::io(path, e))
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The text hash the vector of `key` was computed from.
    pub fn hash_of(&self, key: i64) -> Option<u64> {
        self.slots.get(&key).map(|&i| self.hashes[i])
    }

    /// Sets the vector of `key` (a unit vector of [`Vectors::dim`] values).
    pub fn put(&mut self, key: i64, hash: u64, vector: &[f32]) {
        let top = vector.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if top > 0.0 { top / 127.0 } else { 1.0 };
        let codes = vector.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8);
        match self.slots.get(&key) {
            Some(&i) => {
                self.hashes[i] = hash;
                self.scales[i] = scale;
                for (slot, c) in self.codes[i * self.dim..(i + 1) * self.dim].iter_mut().zip(codes) {
                    *slot = c;
                }
            }
            None => {
                self.slots.insert(key, self.keys.len());
                self.keys.push(key);
                self.hashes.push(hash);
                self.scales.push(scale);
                self.codes.extend(codes);
            }
        }
    }

    /// Builds the approximate index when there are [`IVF_MIN`] vectors or more, and writes it beside `path`
    /// (the vector file); below that, removes any. Returns the number of groups (0: none).
    pub fn index(&mut self, path: &Path) -> Result<usize, EmbedError> {
        let file = ivf_path(path);
        if self.keys.len() < IVF_MIN {
            self.ivf = None;
            return match std::fs::remove_file(&file) {
                Ok(()) => Ok(0),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
                Err(e) => Err(EmbedError::io(&file, e)),
            };
        }
        let lists = (self.keys.len() as f64).sqrt() as usize;
        let ivf = Ivf::build(self.dim, self.keys.len(), lists, |i| self.code(i), fingerprint(&self.keys));
        ivf.save(&file)?;
        let n = ivf.lists();
        self.ivf = Some(ivf);
        Ok(n)
    }

    /// Groups of the approximate index (0 without one).
    pub fn ann_groups(&self) -> usize {
        self.ivf.as_ref().map_or(0, Ivf::lists)
    }

    /// True when searches use the approximate index.
    pub fn is_indexed(&self) -> bool {
        self.ivf.is_some()
    }

    /// Keeps only the vectors of keys for which `keep` is true (works deleted from the store go).
    pub fn retain(&mut self, keep: impl Fn(i64) -> bool) {
        if self.keys.iter().all(|&k| keep(k)) {
            return;
        }
        let old = std::mem::replace(self, Vectors::new(self.dim));
        for (i, &key) in old.keys.iter().enumerate() {
            if keep(key) {
                self.slots.insert(key, self.keys.len());
                self.keys.push(key);
                self.hashes.push(old.hashes[i]);
                self.scales.push(old.scales[i]);
                self.codes.extend_from_slice(old.code(i));
            }
        }
    }

    /// The vector of `key`, decoded.
    pub fn vector(&self, key: i64) -> Option<Vec<f32>> {
        let &i = self.slots.get(&key)?;
        Some(self.code(i).iter().map(|&c| f32::from(c) * self.scales[i]).collect())
    }

    /// The `k` works most similar to `query` (cosine, as every vector has unit length) among those `admit`
    /// lets through, best first. With the approximate index, the groups nearest the query and the works
    /// embedded since the build are scored; when they hold fewer than `k` admitted works (a narrow filter),
    /// every vector is. The query is quantised like the works, so each comparison is an integer dot product.
    pub fn nearest(&self, query: &[f32], k: usize, admit: impl Fn(i64) -> bool + Sync) -> Vec<(i64, f32)> {
        self.nearest_probing(query, k, PROBES, admit)
    }

    /// [`Vectors::nearest`] reading `probes` groups of the approximate index (all of them: exact).
    pub fn nearest_probing(
        &self,
        query: &[f32],
        k: usize,
        probes: usize,
        admit: impl Fn(i64) -> bool + Sync,
    ) -> Vec<(i64, f32)> {
        let k = k.min(self.keys.len());
        if k == 0 || query.len() != self.dim {
            return Vec::new();
        }
        let q = quantise(query);
        let top = query.iter().fold(0f32, |m, x| m.max(x.abs()));
        let q_scale = if top > 0.0 { top / 127.0 } else { 1.0 };
        let score = |i: usize| (self.keys[i], dot_i8(self.code(i), &q) as f32 * self.scales[i] * q_scale);
        if let Some(ivf) = &self.ivf {
            let mut slots = ivf.candidates(&q, probes);
            slots.extend(ivf.covered as u32..self.keys.len() as u32);
            let scored: Vec<(i64, f32)> =
                slots.into_iter().map(|i| i as usize).filter(|&i| admit(self.keys[i])).map(score).collect();
            if scored.len() >= k {
                return best(scored, k);
            }
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let scan = |from: usize, to: usize| best((from..to).filter(|&i| admit(self.keys[i])).map(score).collect(), k);
        let n = self.keys.len();
        if threads == 1 || n < IVF_MIN {
            return scan(0, n);
        }
        let per = n.div_ceil(threads);
        let parts: Vec<(i64, f32)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let scan = &scan;
                    s.spawn(move || scan(t * per, ((t + 1) * per).min(n)))
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        best(parts, k)
    }

    fn code(&self, i: usize) -> &[i8] {
        &self.codes[i * self.dim..(i + 1) * self.dim]
    }
}

/// The `k` best of `scored`, best first, ties by key.
fn best(mut scored: Vec<(i64, f32)>, k: usize) -> Vec<(i64, f32)> {
    let by_score = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if scored.len() > k && k > 0 {
        scored.select_nth_unstable_by(k - 1, by_score);
        scored.truncate(k);
    }
    scored.sort_by(by_score);
    scored.truncate(k);
    scored
}

/// The approximate index's file, beside the vector file.
fn ivf_path(vectors: &Path) -> std::path::PathBuf {
    vectors.with_extension("ivf")
}

/// Which vectors an index was built over: their keys, in slot order.
fn fingerprint(keys: &[i64]) -> u64 {
    keys.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &k| (h ^ k as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

/// A stable 64-bit hash of the text a vector is computed from (FNV-1a: the same on every run and build,
/// unlike std's hasher).
pub fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn nearest_is_exact_and_filters_apply() {
        let mut v = Vectors::new(3);
        v.put(1, 0, &unit(&[1.0, 0.0, 0.0]));
        v.put(2, 0, &unit(&[0.9, 0.1, 0.0]));
        v.put(3, 0, &unit(&[0.0, 1.0, 0.0]));
        v.put(4, 0, &unit(&[0.0, 0.0, 1.0]));
        let q = unit(&[1.0, 0.2, 0.0]);
        let keys: Vec<i64> = v.nearest(&q, 3, |_| true).iter().map(|h| h.0).collect();
        assert_eq!(keys, vec![2, 1, 3]);
        let odd: Vec<i64> = v.nearest(&q, 3, |k| k % 2 == 1).iter().map(|h| h.0).collect();
        assert_eq!(odd, vec![1, 3]);
        assert!((v.nearest(&q, 1, |_| true)[0].1 - 0.9935).abs() < 0.01, "cosine within int8 rounding");
    }

    #[test]
    fn vectors_round_trip_through_the_file_and_replace_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vectors").join("works.vec");
        assert!(Vectors::open(&path).unwrap().is_none());
        let mut v = Vectors::new(2);
        v.put(7, text_hash("a"), &[0.6, 0.8]);
        v.put(9, text_hash("b"), &[1.0, 0.0]);
        v.put(7, text_hash("c"), &[0.8, -0.6]);
        v.retain(|k| k != 9);
        v.save(&path).unwrap();
        let back = Vectors::open(&path).unwrap().unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back.hash_of(7), Some(text_hash("c")));
        let x = back.vector(7).unwrap();
        assert!((x[0] - 0.8).abs() < 0.01 && (x[1] + 0.6).abs() < 0.01);
    }

    #[test]
    fn a_foreign_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("works.vec");
        std::fs::write(&path, b"not vectors at all, no no no").unwrap();
        let err = Vectors::open(&path).unwrap_err().to_string();
        assert!(err.contains("works.vec") && err.contains("not an Arrow vector file"), "{err}");
    }
}

#[cfg(test)]
mod ann_tests {
    use super::*;

    /// Deterministic unit vectors around 40 directions (the shape of real embeddings: topics).
    fn clustered(n: usize, dim: usize) -> Vec<Vec<f32>> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f32 / (1u64 << 53) as f32 - 0.5
        };
        let centres: Vec<Vec<f32>> = (0..40).map(|_| (0..dim).map(|_| next()).collect()).collect();
        (0..n)
            .map(|i| {
                let v: Vec<f32> = centres[i % 40].iter().map(|c| c + 0.35 * next()).collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                v.iter().map(|x| x / norm).collect()
            })
            .collect()
    }

    #[test]
    fn the_index_finds_the_exact_neighbours_when_it_reads_every_group_and_most_with_a_few() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.vec");
        let dim = 16;
        let data = clustered(IVF_MIN + 1000, dim);
        let mut v = Vectors::new(dim);
        for (i, x) in data.iter().enumerate() {
            v.put(i as i64, 0, x);
        }
        let exact: Vec<Vec<(i64, f32)>> = data.iter().step_by(2003).map(|q| v.nearest(q, 10, |_| true)).collect();
        assert!(!v.is_indexed());
        let lists = v.index(&path).unwrap();
        assert!(v.is_indexed() && lists >= 200, "{lists} groups");
        let mut found = 0;
        for (q, want) in data.iter().step_by(2003).zip(&exact) {
            assert_eq!(&v.nearest_probing(q, 10, lists, |_| true), want, "every group read: exact");
            let got = v.nearest(q, 10, |_| true);
            found += got.iter().filter(|h| want.contains(h)).count();
        }
        let recall = found as f64 / (exact.len() * 10) as f64;
        assert!(recall >= 0.9, "recall@10 with {PROBES} groups: {recall}");
        // Saved and reopened with the vectors, the index is used again.
        v.save(&path).unwrap();
        let reopened = Vectors::open(&path).unwrap().unwrap();
        assert!(reopened.is_indexed());
        let q = &data[7];
        let scan = Vectors { ivf: None, ..reopened.clone() };
        // A filter holds exactly: every result passes it (the ranking among those is approximate)...
        let some = |k: i64| k % 97 == 0;
        assert!(reopened.nearest(q, 10, some).iter().all(|h| some(h.0)));
        // ...and where the probed groups hold too few admitted works, every vector is scanned: exact.
        let few = |k: i64| k % 4999 == 0;
        assert_eq!(reopened.nearest(q, 10, few), scan.nearest(q, 10, few));
        // Vectors changed since the build (one removed): the old index no longer applies.
        let mut fewer = reopened.clone();
        fewer.retain(|k| k != 3);
        assert!(!fewer.is_indexed());
    }
}
