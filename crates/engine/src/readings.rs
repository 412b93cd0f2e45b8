//! People joined across readings of one name after a run (see [`arrow_disambig::Reading`]): "Rajkumar
//! Rajakrishnan" written family name first, "Irene Langkilde" without the second part of "Langkilde-Geary",
//! "Hinrich Schuetze" for "Schütze". A run compares names only within a block (a surname and a first initial), so
//! these never meet there. Two people holding two readings of one name are joined when they share a coauthor, or,
//! for "ue" as "ü" and a hyphenated surname shortened, when both names are rare (see
//! [`arrow_disambig::joins_on_rarity`]: "Wei Wang" and "Wang Wei" are often two people). Joins never undo the run:
//! two people of one block that the run kept apart are never joined through a third, and every name of the two
//! must agree, as within a cluster.

use arrow_disambig::{NameTotals, RareNames, Reading, UnionFind};
use arrow_store::PersonMention;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One authorship as the pass reads it, whether from the store (`arrow disambiguate`) or from the lines of a
/// distributed run (`arrow batch readings`).
pub struct Authorship<'a> {
    /// The work's id.
    pub work: &'a str,
    /// 1-based place in the author list, as person ids are made from it.
    pub position: u32,
    /// The name as written.
    pub name: &'a str,
    /// A source's person id for it.
    pub source_id: Option<&'a str>,
    /// The other names of the work.
    pub coauthors: Vec<&'a str>,
}

/// Most people one name may denote for it to be read as another: a name that more people of the run write
/// ("Wei Wang") says too little about which of them a reading of it ("Wang Wei") would be.
pub(crate) const MAX_HOLDERS: usize = 20;

/// What the pass knows of one person.
#[derive(Default)]
struct Person {
    works: HashSet<i64>,
    /// Everyone they wrote with (interned name keys).
    coauthors: HashSet<u32>,
    source_ids: BTreeSet<String>,
    /// Blocks of the names they wrote: the run compared them with everyone there.
    blocks: BTreeSet<String>,
    /// The names they wrote.
    names: BTreeSet<String>,
    mentions: usize,
    /// Their earliest (work id, position): person ids are made from it.
    earliest: (String, u32),
}

impl Person {
    fn absorb(&mut self, other: Person) {
        self.works.extend(other.works);
        self.coauthors.extend(other.coauthors);
        self.source_ids.extend(other.source_ids);
        self.blocks.extend(other.blocks);
        self.names.extend(other.names);
        self.mentions += other.mentions;
        self.earliest = self.earliest.clone().min(other.earliest);
    }
}

/// Two people to join, and how well their papers support it.
struct Join {
    shared_coauthors: usize,
    reading: Reading,
    a: usize,
    b: usize,
}

/// The people of `rows` joined across readings of one name, as renames (absorbed person, person kept). `names` are
/// all the run's distinct names (a distributed run passes only the rows of the people holding a name that reads as
/// another: [`involved_names`]); rarity is judged over them with the run's `totals`, as a run judges it.
/// `name_of(i)` is `rows[i]`'s name, and `authorship(i)` the rest of it (read for the involved people only).
pub fn join_readings<'w>(
    totals: NameTotals,
    names: &HashSet<&str>,
    rows: &[PersonMention],
    name_of: impl Fn(usize) -> Option<&'w str>,
    authorship: impl Fn(usize) -> Option<Authorship<'w>>,
) -> Vec<(String, String)> {
    let pairs = arrow_disambig::reading_pairs(names.iter().copied());
    if pairs.is_empty() {
        return Vec::new();
    }
    let involved: HashSet<&str> = pairs.iter().flat_map(|p| [p.0, p.1]).collect();
    // People holding each involved name, and who they are.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut holders: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(name) = name_of(i).filter(|n| involved.contains(n)) else { continue };
        let n = index.len();
        let p = *index.entry(r.person.as_str()).or_insert(n);
        holders.entry(name).or_default().insert(p);
    }
    let mut keys: HashMap<String, u32> = HashMap::new();
    let mut people: Vec<Person> = (0..index.len()).map(|_| Person::default()).collect();
    for (i, r) in rows.iter().enumerate() {
        let Some(&p) = index.get(r.person.as_str()) else { continue };
        let Some(a) = authorship(i) else { continue };
        let person = &mut people[p];
        person.works.insert(r.work);
        for c in &a.coauthors {
            let n = keys.len() as u32;
            person.coauthors.insert(*keys.entry(arrow_normalize::name_key(c)).or_insert(n));
        }
        person.source_ids.extend(a.source_id.map(str::to_string));
        if !person.names.contains(a.name) {
            person.blocks.insert(arrow_disambig::block_key(a.name));
            person.names.insert(a.name.to_string());
        }
        person.mentions += 1;
        let at = (a.work.to_string(), a.position);
        if person.mentions == 1 || at < person.earliest {
            person.earliest = at;
        }
    }
    // Counted over all the run's names, and only if some pair shares no coauthor.
    let rarity = std::cell::OnceCell::new();
    let rare = |name: &str| rarity.get_or_init(|| RareNames::new(names.iter().copied(), totals)).key(name).is_some();
    // One wrote with someone of the other's name: two people.
    let wrote_with = |p: &Person, k: Option<&u32>| k.is_some_and(|k| p.coauthors.contains(k));
    let mut joins: Vec<Join> = Vec::new();
    for &(a, b, reading) in &pairs {
        // A distributed run passes the rows of the names' holders only: a name without rows has no one to join.
        let (Some(ha), Some(hb)) = (holders.get(a), holders.get(b)) else { continue };
        if ha.len() > MAX_HOLDERS || hb.len() > MAX_HOLDERS {
            continue;
        }
        let (ka, kb) = (keys.get(&arrow_normalize::name_key(a)), keys.get(&arrow_normalize::name_key(b)));
        let mut by_name: Option<bool> = None;
        for &pa in ha {
            for &pb in hb {
                let (x, y) = (&people[pa], &people[pb]);
                if pa == pb || wrote_with(x, kb) || wrote_with(y, ka) || !x.works.is_disjoint(&y.works) {
                    continue;
                }
                let shared = x.coauthors.intersection(&y.coauthors).count();
                let by_name =
                    by_name.get_or_insert_with(|| arrow_disambig::joins_on_rarity(a, b, reading) && rare(a) && rare(b));
                if shared > 0 || *by_name {
                    joins.push(Join { shared_coauthors: shared, reading, a: pa, b: pb });
                }
            }
        }
    }
    // The best supported first, then the most published, then by the people's earliest mentions (not by their
    // index, which follows the order batches finished in): each person joins where its papers point most.
    joins.sort_by_cached_key(|j| {
        let (a, b) = (&people[j.a].earliest, &people[j.b].earliest);
        (
            std::cmp::Reverse(j.shared_coauthors),
            std::cmp::Reverse(people[j.a].mentions + people[j.b].mentions),
            a.min(b).clone(),
            a.max(b).clone(),
            j.reading,
        )
    });
    let mut sets = UnionFind::new(people.len());
    let mut merged: Vec<Option<Person>> = people.into_iter().map(Some).collect();
    let mut single = vec![true; merged.len()];
    for j in joins {
        let (ra, rb) = (sets.find(j.a), sets.find(j.b));
        if ra == rb {
            continue;
        }
        let (Some(x), Some(y)) = (merged[ra].as_ref(), merged[rb].as_ref()) else { continue };
        // The run compared everyone of a block: people it kept apart there stay apart. An umlaut in a first name
        // ("Günter", "Guenter") stays in its block, where the run could not join the two, so two people of one
        // block may meet by it, but only as they came from the run.
        let same_block = !x.blocks.is_disjoint(&y.blocks);
        if (same_block && !(j.reading == Reading::Umlaut && single[ra] && single[rb]))
            || !x.works.is_disjoint(&y.works)
            || !names_agree(x, y, j.reading)
            || (!x.source_ids.is_empty() && !y.source_ids.is_empty() && x.source_ids.is_disjoint(&y.source_ids))
        {
            continue;
        }
        let (Some(mut x), Some(y)) = (merged[ra].take(), merged[rb].take()) else { continue };
        sets.join_into(ra, rb);
        x.absorb(y);
        merged[ra] = Some(x);
        single[ra] = false;
    }
    // Each joined person is named, as every person is, by its earliest mention.
    let mut renames = Vec::new();
    for (&id, &p) in &index {
        let root = sets.find(p);
        if let Some(person) = merged[root].as_ref().filter(|_| !single[root]) {
            let kept = arrow_disambig::person_id(&person.earliest.0, person.earliest.1);
            if id != kept {
                renames.push((id.to_string(), kept));
            }
        }
    }
    renames.sort();
    renames
}

/// Whether every name of one person agrees with every name of the other, as written or read otherwise, as the
/// names of a cluster must: "Juan Soler" may be read in "Juan Soler-Company", but not when its person also wrote
/// "Juan José Rodríguez Soler".
fn names_agree(x: &Person, y: &Person, reading: Reading) -> bool {
    x.names.iter().all(|a| y.names.iter().all(|b| arrow_disambig::names_agree(a, b, reading)))
}

/// The names of `names` that read as another of them: the people holding them are all a join may touch.
pub fn involved_names<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    arrow_disambig::reading_pairs(names).into_iter().flat_map(|p| [p.0, p.1]).collect()
}

/// Applies renames (absorbed person, person kept) to `rows`.
pub(crate) fn rename(rows: &mut [PersonMention], renames: &[(String, String)]) {
    let to: HashMap<&str, &str> = renames.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    for r in rows {
        if let Some(&kept) = to.get(r.person.as_str()) {
            r.person = kept.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::{Authorship as Author, Work, WorkId};
    use std::collections::BTreeMap;

    /// Works, each a list of author names, with the run's person of every authorship (`people[work][slot]`).
    /// The people joined, as groups of the run's people.
    fn run(works: &[&[&str]], people: &[&[&str]]) -> Vec<BTreeSet<String>> {
        run_among(works, people, 0)
    }

    /// [`run`], beside `others` works of one author each, all of different surnames, so that rarity is judged.
    fn run_among(works: &[&[&str]], people: &[&[&str]], others: usize) -> Vec<BTreeSet<String>> {
        let filler: Vec<String> = (0..others).map(|i| format!("Ann Surname{i}")).collect();
        let works: Vec<Vec<&str>> =
            works.iter().map(|w| w.to_vec()).chain(filler.iter().map(|n| vec![n.as_str()])).collect();
        let people: Vec<Vec<&str>> =
            people.iter().map(|p| p.to_vec()).chain(filler.iter().map(|n| vec![n.as_str()])).collect();
        let totals = arrow_disambig::name_totals(works.iter().flatten().copied());
        let works: Vec<Work> = works
            .iter()
            .enumerate()
            .map(|(i, names)| Work {
                id: WorkId(format!("w{i:02}")),
                authors: names
                    .iter()
                    .map(|n| Author { position: None, name: n.to_string(), source_id: None })
                    .collect(),
                ..Work::default()
            })
            .collect();
        let mut rows = Vec::new();
        let mut at = Vec::new();
        for (wi, ps) in people.iter().enumerate() {
            for (slot, p) in ps.iter().enumerate() {
                rows.push(PersonMention { work: wi as i64, slot: slot as i64, person: p.to_string() });
                at.push((wi, slot));
            }
        }
        let names: HashSet<&str> = works.iter().flat_map(|w| w.authors.iter().map(|a| a.name.as_str())).collect();
        let renames = join_readings(
            totals,
            &names,
            &rows,
            |i| Some(works[at[i].0].authors[at[i].1].name.as_str()),
            |i| Some(crate::people::authorship_of(&works[at[i].0], at[i].1, None)),
        );
        let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (gone, kept) in renames {
            groups.entry(kept).or_default().insert(gone);
        }
        groups.into_values().collect()
    }

    fn group(people: &[&str]) -> BTreeSet<String> {
        people.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_name_read_otherwise_joins_on_a_shared_coauthor_and_not_on_the_name_alone() {
        let renames = run(
            &[&["Wei Wang", "Jiawei Han"], &["Wang Wei", "Jiawei Han"], &["Wang Wei", "Ann Other"]],
            &[&["p0", "han"], &["p1", "han"], &["p2", "other"]],
        );
        // Too few names to call any rare: only the shared coauthor joins.
        assert_eq!(renames, vec![group(&["p0", "p1"])]);
    }

    #[test]
    fn rarity_alone_joins_a_hyphenated_surname_and_an_umlaut_but_not_the_family_name_first() {
        let renames = run_among(
            &[
                &["Quenfix Zorblat", "Ada One"],
                &["Zorblat Quenfix", "Bea Two"],
                &["Irma Vexley-Brond", "Cid Three"],
                &["Irma Vexley", "Dee Four"],
                &["Olaf Pruessling", "Eve Five"],
                &["Olaf Prüßling", "Fay Six"],
            ],
            &[&["p0", "a"], &["p1", "b"], &["p2", "c"], &["p3", "d"], &["p4", "e"], &["p5", "f"]],
            1000,
        );
        assert!(renames.contains(&group(&["p2", "p3"])), "{renames:?}");
        assert!(renames.contains(&group(&["p4", "p5"])), "{renames:?}");
        assert!(renames.iter().all(|g| !g.contains("p0") && !g.contains("p1")), "{renames:?}");
        // Without enough names to judge rarity, nothing joins on names alone.
        let renames =
            run(&[&["Irma Vexley-Brond", "Cid Three"], &["Irma Vexley", "Dee Four"]], &[&["p2", "c"], &["p3", "d"]]);
        assert!(renames.is_empty(), "{renames:?}");
    }

    #[test]
    fn people_the_run_kept_apart_stay_apart() {
        // Two "Wei Wang" of one block, both sharing a coauthor with one "Wang Wei": only one joins it.
        let renames = run(
            &[&["Wei Wang", "Jiawei Han"], &["Wei Wang", "Jiawei Han"], &["Wang Wei", "Jiawei Han"]],
            &[&["p0", "han"], &["p1", "han"], &["p2", "han"]],
        );
        assert_eq!(renames.len(), 1, "{renames:?}");
        assert_eq!(renames[0].len(), 2, "{renames:?}");
        // Someone who wrote with a "Wang Wei" is not that Wang Wei.
        let renames = run(
            &[&["Wei Wang", "Wang Wei", "Jiawei Han"], &["Wang Wei", "Jiawei Han"]],
            &[&["p0", "p1", "han"], &["p2", "han"]],
        );
        assert!(renames.is_empty(), "p0 wrote with a Wang Wei: {renames:?}");
    }

    #[test]
    fn every_name_of_the_two_must_agree() {
        // "Juan Soler" reads as "Juan Soler-Company", but its person also wrote "Juan José Rodríguez Soler".
        let renames = run(
            &[
                &["Juan José Rodríguez Soler", "Paolo Rosso"],
                &["Juan Soler", "Paolo Rosso"],
                &["Juan Soler-Company", "Paolo Rosso"],
            ],
            &[&["p0", "rosso"], &["p0", "rosso"], &["p1", "rosso"]],
        );
        assert!(renames.is_empty(), "{renames:?}");
        let renames = run(
            &[&["Juan Soler", "Paolo Rosso"], &["Juan Soler-Company", "Paolo Rosso"]],
            &[&["p0", "rosso"], &["p1", "rosso"]],
        );
        assert_eq!(renames, vec![group(&["p0", "p1"])]);
    }
}
