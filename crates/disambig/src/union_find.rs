//! Disjoint sets over `0..n`, for every grouping by transitive links: must-links in a block, merges of
//! profiles, versions of one work.

/// Disjoint sets with path halving. Indices are `u32`: a block or a corpus of works stays far below 4 billion,
/// and half the memory of `usize` counts in the largest blocks.
#[derive(Clone, Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect() }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, x: usize) -> usize {
        let p = &mut self.parent;
        let mut x = x as u32;
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x as usize
    }

    /// Joins the sets of `keep` and `gone`, with `keep`'s representative staying the representative (callers
    /// that keep data at the representative choose which survives). False when they were one set already.
    pub fn join_into(&mut self, keep: usize, gone: usize) -> bool {
        let (rk, rg) = (self.find(keep), self.find(gone));
        if rk == rg {
            return false;
        }
        self.parent[rg] = rk as u32;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::UnionFind;

    #[test]
    fn links_are_transitive_and_the_kept_root_stays() {
        let mut uf = UnionFind::new(6);
        assert!(uf.join_into(0, 1));
        assert!(uf.join_into(2, 1));
        assert!(!uf.join_into(0, 2), "already one set");
        assert_eq!(uf.find(0), uf.find(2));
        assert_eq!(uf.find(1), 2, "the last join kept 2's root");
        assert_ne!(uf.find(3), uf.find(0));
        assert!(uf.join_into(4, 5));
        assert_eq!(uf.find(5), 4);
        let sets: std::collections::BTreeSet<usize> = (0..6).map(|i| uf.find(i)).collect();
        assert_eq!(sets.len(), 3);
    }
}
