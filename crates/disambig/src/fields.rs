//! Fields: venues grouped by the people who publish in them, learned from the run itself.
//!
//! Two of one person's papers often share no venue but sit in one field ("IEEE Trans. Multimedia" and "ACM
//! Multimedia"), while two people of one common name often work in different fields (multimedia and remote
//! sensing). Each venue gets a vector from its works' authors (random indexing: every author name is a fixed
//! random ±1 vector, weighted by 1/√works so that prolific and ambiguous names count less), smoothed once
//! through the authors (an author's vector is the sum of their venues'), and the venues are grouped by
//! spherical k-means. A field is then one more categorical feature of a mention, like its venue, and two
//! sizable clusters with (nearly) no field in common are two people (see [`apart`]).

use crate::prepare::Prepared;
use rustc_hash::FxHashMap as HashMap;

/// Venues per field, on average: the number of fields grows with the run (a batch of 300,000 DBLP mentions has
/// about 4,800 venues of five works or more). From 4 to 20 the DBLP development figures barely move
/// (`docs/performance.md`).
pub(crate) const VENUES_PER_FIELD: usize = 10;
/// Dimensions of the venue vectors (random indexing: more dimensions, less noise between unrelated venues).
const DIMS: usize = 128;
/// Venues with fewer works than this do not seed or move the centroids (their vectors are mostly noise);
/// they are still placed in the nearest field.
const MIN_WORKS: u32 = 5;
/// k-means iterations.
const ITERATIONS: usize = 8;

/// Largest overlap of two clusters' field shares (the sum over fields of the smaller share) that still counts as
/// different fields.
pub(crate) const VETO_OVERLAP: f64 = 0.05;
/// Fields a batch may have at most: k-means costs (venues × fields), and a run given to `disambiguate` whole
/// (millions of mentions) would otherwise take minutes here.
const MAX_FIELDS: usize = 1024;

/// One work's venue and authors (interned ids).
pub(crate) struct WorkAuthors<'a> {
    pub venue: u32,
    pub own: u32,
    pub coauthors: &'a [u32],
}

/// The field of each venue out of about one field per `venues_per_field` venues of [`MIN_WORKS`] works or more
/// (`None` for a venue with no work in `works`, and for every venue of a run too small to have two fields).
/// `author_works[c]` is the number of works of author `c`.
pub(crate) fn venue_fields(
    n_venues: usize,
    works: &[WorkAuthors],
    author_works: &[u32],
    venues_per_field: usize,
) -> Vec<Option<u32>> {
    let t = std::time::Instant::now();
    let (vectors, sizes) = venue_vectors(n_venues, works, author_works, true);
    let elapsed = t.elapsed().as_secs_f64();
    let fields = kmeans(&vectors, &sizes, venues_per_field.max(1));
    if std::env::var_os("DISAMBIG_TRACE").is_some() {
        eprintln!("fields: vectors {elapsed:.2}s, k-means {:.2}s", t.elapsed().as_secs_f64() - elapsed);
    }
    fields
}

/// Unit vectors of the venues (`n_venues` rows of [`DIMS`]; zero for a venue without works) and their numbers of
/// works; `smooth` adds the second round.
fn venue_vectors(n_venues: usize, works: &[WorkAuthors], author_works: &[u32], smooth: bool) -> (Vec<f32>, Vec<u32>) {
    let weight = |c: u32| 1.0 / (author_works.get(c as usize).copied().unwrap_or(1).max(1) as f32).sqrt();
    // Round 1: venue vectors from their authors' random vectors.
    let mut venue = vec![0f32; n_venues * DIMS];
    let mut sizes = vec![0u32; n_venues];
    for w in works {
        sizes[w.venue as usize] += 1;
        let row = &mut venue[w.venue as usize * DIMS..(w.venue as usize + 1) * DIMS];
        for c in authors(w) {
            add_random(row, c, weight(c));
        }
    }
    normalize_rows(&mut venue);
    if !smooth {
        return (venue, sizes);
    }
    // Round 2: each author as the sum of their venues, and each venue as the sum of its authors. Venues that share
    // no author but whose authors publish in the same places come close.
    // Authors of one work have nothing to smooth with: only those of two or more get a row.
    let mut slot = vec![u32::MAX; author_works.len()];
    let mut rows = 0u32;
    for (c, &n) in author_works.iter().enumerate() {
        if n >= 2 {
            slot[c] = rows;
            rows += 1;
        }
    }
    let row_of = |c: u32| slot.get(c as usize).copied().filter(|&r| r != u32::MAX).map(|r| r as usize);
    let mut author = vec![0f32; rows as usize * DIMS];
    for w in works {
        let v = &venue[w.venue as usize * DIMS..(w.venue as usize + 1) * DIMS];
        for r in authors(w).filter_map(row_of) {
            author[r * DIMS..(r + 1) * DIMS].iter_mut().zip(v).for_each(|(x, y)| *x += y);
        }
    }
    normalize_rows(&mut author);
    let mut smoothed = venue.clone();
    for w in works {
        let row = &mut smoothed[w.venue as usize * DIMS..(w.venue as usize + 1) * DIMS];
        for c in authors(w) {
            if let Some(r) = row_of(c) {
                let wt = weight(c);
                row.iter_mut().zip(&author[r * DIMS..(r + 1) * DIMS]).for_each(|(x, y)| *x += wt * y);
            }
        }
    }
    drop(author);
    normalize_rows(&mut smoothed);
    (smoothed, sizes)
}

/// Spherical k-means over the venue vectors; venues of at least [`MIN_WORKS`] works place the centroids
/// (weighted by √works), every venue with a vector gets the nearest one.
fn kmeans(vectors: &[f32], sizes: &[u32], venues_per_field: usize) -> Vec<Option<u32>> {
    let n = sizes.len();
    let row = |v: usize| &vectors[v * DIMS..(v + 1) * DIMS];
    let has = |v: usize| row(v).iter().any(|&x| x != 0.0);
    let points: Vec<usize> = (0..n).filter(|&v| sizes[v] >= MIN_WORKS && has(v)).collect();
    let k = points.len().div_ceil(venues_per_field).min(MAX_FIELDS);
    if k < 2 {
        return vec![None; n];
    }
    if std::env::var_os("DISAMBIG_TRACE").is_some() {
        eprintln!("fields: {} venues, {} with {MIN_WORKS}+ works, {k} fields", n, points.len());
    }
    // Farthest-first seeding from the largest venue, deterministic: each next centroid is the point least similar
    // to every centroid so far (ties to the lower index).
    let mut centroids: Vec<f32> = Vec::with_capacity(k * DIMS);
    let first = *points.iter().max_by_key(|&&v| (sizes[v], std::cmp::Reverse(v))).unwrap();
    centroids.extend_from_slice(row(first));
    let mut best_sim: Vec<f32> = points.iter().map(|&v| dot(row(v), row(first))).collect();
    while centroids.len() < k * DIMS {
        let (far, _) = best_sim
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            .expect("points is not empty");
        let c = row(points[far]).to_vec();
        for (s, &v) in best_sim.iter_mut().zip(&points) {
            *s = s.max(dot(row(v), &c));
        }
        centroids.extend(c);
    }
    let nearest = |v: &[f32], centroids: &[f32]| -> u32 {
        let mut best = (f32::MIN, 0u32);
        for (ci, c) in centroids.chunks_exact(DIMS).enumerate() {
            let s = dot(v, c);
            if s > best.0 {
                best = (s, ci as u32);
            }
        }
        best.1
    };
    for _ in 0..ITERATIONS {
        let mut sums = vec![0f32; k * DIMS];
        for &v in &points {
            let c = nearest(row(v), &centroids) as usize;
            let wt = (sizes[v] as f32).sqrt();
            sums[c * DIMS..(c + 1) * DIMS].iter_mut().zip(row(v)).for_each(|(s, x)| *s += wt * x);
        }
        for (c, s) in centroids.chunks_exact_mut(DIMS).zip(sums.chunks_exact_mut(DIMS)) {
            // An emptied centroid keeps its place.
            if s.iter().any(|&x| x != 0.0) {
                normalize(s);
                c.copy_from_slice(s);
            }
        }
    }
    (0..n).map(|v| has(v).then(|| nearest(row(v), &centroids))).collect()
}

/// How many of `members` have a field, and how many of them each field has.
fn field_counts(ctx: &Prepared, members: &[usize]) -> (u64, HashMap<u32, u64>) {
    let mut counts: HashMap<u32, u64> = HashMap::default();
    for f in members.iter().filter_map(|&i| ctx.field[i]) {
        *counts.entry(f).or_default() += 1;
    }
    (counts.values().sum(), counts)
}

/// How two sets of mentions compare on fields.
pub(crate) struct Overlap {
    /// The sum over fields of the smaller share, from 0 (no field in common, or no field known) to 1.
    pub shared: f64,
    /// Mentions with a field in the set that has fewer.
    pub papers: u64,
}

impl Overlap {
    /// True when both sets have at least `min_papers` mentions with a field and their fields overlap by less than
    /// [`VETO_OVERLAP`]: the work of two people.
    pub(crate) fn apart(&self, min_papers: u64) -> bool {
        self.papers >= min_papers && self.shared < VETO_OVERLAP
    }
}

/// The field overlap of two sets of mentions. Summed in integers (each share times both sizes), so the result does
/// not depend on the order fields are visited in.
pub(crate) fn overlap(ctx: &Prepared, a: &[usize], b: &[usize]) -> Overlap {
    let ((na, ca), (nb, cb)) = (field_counts(ctx, a), field_counts(ctx, b));
    if na == 0 || nb == 0 {
        return Overlap { shared: 0.0, papers: 0 };
    }
    let shared: u64 = ca.iter().map(|(f, &x)| (x * nb).min(cb.get(f).copied().unwrap_or(0) * na)).sum();
    Overlap { shared: shared as f64 / (na * nb) as f64, papers: na.min(nb) }
}

/// [`Overlap::apart`], without counting fields when either set is too small anyway (the common case in profile
/// merging, which asks it of every candidate pair).
pub(crate) fn apart(ctx: &Prepared, a: &[usize], b: &[usize], min_papers: u64) -> bool {
    let small = |m: &[usize]| (m.len() as u64) < min_papers;
    !small(a) && !small(b) && overlap(ctx, a, b).apart(min_papers)
}

fn authors<'a>(w: &'a WorkAuthors) -> impl Iterator<Item = u32> + 'a {
    std::iter::once(w.own).chain(w.coauthors.iter().copied())
}

/// Adds `weight` times author `c`'s random ±1 vector (fixed by `c`) to `row`.
fn add_random(row: &mut [f32], c: u32, weight: f32) {
    let mut state = u64::from(c).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    for chunk in row.chunks_mut(64) {
        let bits = splitmix(&mut state);
        for (i, x) in chunk.iter_mut().enumerate() {
            *x += if bits >> i & 1 == 1 { weight } else { -weight };
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalize(v: &mut [f32]) {
    let n = dot(v, v).sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

fn normalize_rows(m: &mut [f32]) {
    m.chunks_exact_mut(DIMS).for_each(normalize);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test run: the number of venues, each work as (venue, first author, other authors), works per author.
    type Run = (usize, Vec<(u32, u32, Vec<u32>)>, Vec<u32>);

    /// `communities` groups of `venues` venues each; every work of a venue has three authors of its community's
    /// own pool of 40 (deterministic, spread over the pool).
    fn run(communities: u32, venues: u32) -> Run {
        let mut works = Vec::new();
        let mut author_works = vec![0u32; (communities * 40) as usize];
        for c in 0..communities {
            for v in 0..venues {
                for w in 0..12u32 {
                    let pick = |x: u32| c * 40 + (v * 7 + w * 13 + x * 17) % 40;
                    let (own, co) = (pick(0), vec![pick(1), pick(2)]);
                    for a in std::iter::once(own).chain(co.iter().copied()) {
                        author_works[a as usize] += 1;
                    }
                    works.push((c * venues + v, own, co));
                }
            }
        }
        ((communities * venues) as usize, works, author_works)
    }

    fn fields(communities: u32, venues: u32, per_field: usize) -> Vec<Option<u32>> {
        let (n, works, author_works) = run(communities, venues);
        let list: Vec<WorkAuthors> =
            works.iter().map(|(v, own, co)| WorkAuthors { venue: *v, own: *own, coauthors: co }).collect();
        venue_fields(n, &list, &author_works, per_field)
    }

    #[test]
    fn venues_of_one_community_of_authors_share_a_field() {
        let f = fields(3, 4, 4);
        assert!(f.iter().all(Option::is_some), "{f:?}");
        for c in 0..3 {
            let first = f[c * 4];
            assert!(f[c * 4..c * 4 + 4].iter().all(|&x| x == first), "community {c}: {f:?}");
            for other in 0..c {
                assert_ne!(f[other * 4], first, "communities {other} and {c}: {f:?}");
            }
        }
    }

    #[test]
    fn a_run_too_small_for_two_fields_has_none() {
        assert!(fields(1, 4, 10).iter().all(Option::is_none));
    }

    #[test]
    fn venues_whose_authors_publish_in_one_place_come_close_after_smoothing() {
        // Venue 0 is written by authors 0-4, venue 1 by authors 5-9: no author in common. Venue 2 by all ten.
        let mut works: Vec<(u32, u32, Vec<u32>)> = Vec::new();
        for w in 0..10u32 {
            works.push((0, w % 5, vec![(w + 1) % 5, (w + 2) % 5]));
            works.push((1, 5 + w % 5, vec![5 + (w + 1) % 5, 5 + (w + 2) % 5]));
            works.push((2, w % 10, vec![(w + 3) % 10, (w + 6) % 10]));
        }
        let mut author_works = vec![0u32; 10];
        for (_, own, co) in &works {
            for &a in std::iter::once(own).chain(co) {
                author_works[a as usize] += 1;
            }
        }
        let list: Vec<WorkAuthors> =
            works.iter().map(|(v, own, co)| WorkAuthors { venue: *v, own: *own, coauthors: co }).collect();
        let cosine = |smooth: bool| {
            let (m, _) = venue_vectors(3, &list, &author_works, smooth);
            dot(&m[..DIMS], &m[DIMS..2 * DIMS])
        };
        assert!(cosine(false).abs() < 0.2, "first round: {}", cosine(false));
        assert!(cosine(true) > 0.35, "smoothed: {}", cosine(true));
    }
}
