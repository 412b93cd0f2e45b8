//! The shard layout a root serves: `SPEC` lists each shard's replicas, shards separated by `;` (or new lines in a
//! file), replicas by `,`: `http://a1:7701,http://a2:7701;http://b1:7701,http://b2:7701`.

/// Each shard's replica base URLs, in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub shards: Vec<Vec<String>>,
}

impl std::str::FromStr for Spec {
    type Err = String;
    fn from_str(text: &str) -> Result<Spec, String> {
        let mut shards = Vec::new();
        for (i, part) in
            text.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty() && !p.starts_with('#')).enumerate()
        {
            let replicas: Vec<String> =
                part.split(',').map(|r| r.trim().trim_end_matches('/').to_string()).filter(|r| !r.is_empty()).collect();
            for r in &replicas {
                if !r.starts_with("http://") {
                    return Err(format!("shard {i}: {r:?} is not an http:// URL"));
                }
            }
            if replicas.is_empty() {
                return Err(format!("shard {i} has no replica"));
            }
            shards.push(replicas);
        }
        if shards.is_empty() {
            return Err("the shard list is empty".into());
        }
        Ok(Spec { shards })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_and_replicas() {
        let s: Spec = "http://a1, http://a2/ ;http://b1\n# comment\nhttp://c1".parse().unwrap();
        assert_eq!(s.shards, vec![vec!["http://a1", "http://a2"], vec!["http://b1"], vec!["http://c1"]]);
        assert!("".parse::<Spec>().is_err());
        assert!("a1".parse::<Spec>().unwrap_err().contains("not an http"));
    }
}
