//! Person ids that follow their people from one full run to the next.
//!
//! A run names each person after its earliest mention, which is stable while the person's papers are. But a run
//! over slightly different data can move a person's earliest papers into a piece of their own (a name right at
//! the rarity threshold, a field that shifted), and the id would then go with the piece while the bulk of the
//! person took a new id: links to a profile would lead to a stranger, or nowhere. So a person keeps the id of the
//! last run's person with whom they share the most mentions, when that person also shares the most with them (the
//! bulk of both sides agree); everyone else is named after their earliest mention as before, never with an id
//! that another person keeps, that a curation took away (merged away, split off), or that the last run gave a
//! person they share no mention with.

use arrow_store::PersonMention;
use std::collections::{HashMap, HashSet};

/// Renames the people of `rows` (a run's label-free people) after the previous run's, whose label-free person
/// of each authorship `previous` gives in (work, slot) order; `reserved` are ids no other person may take.
/// Returns how many people kept an id of the last run's.
pub(crate) fn inherit(
    rows: &mut [PersonMention],
    previous: impl FnOnce(&mut dyn FnMut(i64, i64, &str)) -> Result<(), arrow_store::StoreError>,
    reserved: &HashSet<String>,
) -> Result<usize, arrow_store::StoreError> {
    let mut new_ix: HashMap<String, u32> = HashMap::new();
    let of_row: Vec<u32> = rows
        .iter()
        .map(|r| {
            let next = new_ix.len() as u32;
            *new_ix.entry(r.person.clone()).or_insert(next)
        })
        .collect();
    let mut new_names = vec![String::new(); new_ix.len()];
    for (name, ix) in new_ix {
        new_names[ix as usize] = name;
    }
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (rows[i as usize].work, rows[i as usize].slot));
    let mut old_ix: HashMap<String, u32> = HashMap::new();
    let mut old_names: Vec<String> = Vec::new();
    // (new person, old person) -> mentions they share.
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    let mut at = 0usize;
    previous(&mut |work, slot, person| {
        while at < order.len() && (rows[order[at] as usize].work, rows[order[at] as usize].slot) < (work, slot) {
            at += 1;
        }
        let Some(&i) = order.get(at) else { return };
        if (rows[i as usize].work, rows[i as usize].slot) != (work, slot) {
            return;
        }
        let old = match old_ix.get(person) {
            Some(&o) => o,
            None => {
                let o = old_names.len() as u32;
                old_ix.insert(person.to_string(), o);
                old_names.push(person.to_string());
                o
            }
        };
        *shared.entry((of_row[i as usize], old)).or_default() += 1;
    })?;
    if shared.is_empty() {
        return Ok(0);
    }
    // Each side's best partner: most mentions shared, ties to the smaller id.
    let mut best_old: Vec<Option<(u32, u32)>> = vec![None; new_names.len()];
    let mut best_new: Vec<Option<(u32, u32)>> = vec![None; old_names.len()];
    let better = |cand: (u32, u32), cur: Option<(u32, u32)>, names: &[String]| match cur {
        None => true,
        Some((n, who)) => cand.0 > n || cand.0 == n && names[cand.1 as usize] < names[who as usize],
    };
    for (&(n, o), &k) in &shared {
        if better((k, o), best_old[n as usize], &old_names) {
            best_old[n as usize] = Some((k, o));
        }
        if better((k, n), best_new[o as usize], &new_names) {
            best_new[o as usize] = Some((k, n));
        }
    }
    let mut id: Vec<Option<String>> = vec![None; new_names.len()];
    let mut taken: HashSet<String> = reserved.clone();
    for (n, best) in best_old.iter().enumerate() {
        if let Some((_, o)) = *best {
            if best_new[o as usize].map(|(_, m)| m) == Some(n as u32) {
                let name = old_names[o as usize].clone();
                taken.insert(name.clone());
                id[n] = Some(name);
            }
        }
    }
    let kept = id.iter().flatten().count();
    // The others keep their own ids unless another person keeps that id, or a curation names it.
    let mut others: Vec<usize> = (0..new_names.len()).filter(|&n| id[n].is_none()).collect();
    others.sort_by(|&a, &b| new_names[a].cmp(&new_names[b]));
    for n in others {
        let own = &new_names[n];
        let mut name = own.clone();
        let mut k = 0u32;
        // An id of the last run's is only taken by someone who shares mentions with its person (ids drift from the
        // earliest-mention hash once kept, so a person's own hash may be another person's id of the last run).
        let stranger = |name: &String| old_ix.get(name).is_some_and(|&o| !shared.contains_key(&(n as u32, o)));
        while taken.contains(&name) || stranger(&name) {
            k += 1;
            name = arrow_disambig::person_id(&format!("{own}\u{0}{k}"), 0);
        }
        taken.insert(name.clone());
        id[n] = Some(name);
    }
    for (r, &n) in rows.iter_mut().zip(&of_row) {
        if let Some(name) = &id[n as usize] {
            if *name != r.person {
                r.person.clone_from(name);
            }
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(people: &[&str]) -> Vec<PersonMention> {
        people
            .iter()
            .enumerate()
            .map(|(i, p)| PersonMention { work: i as i64, slot: 0, person: p.to_string() })
            .collect()
    }

    fn run(new: &[&str], old: &[&str], reserved: &[&str]) -> Vec<String> {
        let mut r = rows(new);
        let old: Vec<String> = old.iter().map(|s| s.to_string()).collect();
        let reserved: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        inherit(
            &mut r,
            |each| {
                for (i, p) in old.iter().enumerate() {
                    each(i as i64, 0, p);
                }
                Ok(())
            },
            &reserved,
        )
        .unwrap();
        r.into_iter().map(|m| m.person).collect()
    }

    #[test]
    fn the_bulk_of_a_person_keeps_its_id_when_its_earliest_papers_split_off() {
        // Mentions 0-1 split off into a piece named after mention 0, which was the whole person's id.
        let got = run(&["pA", "pA", "pB", "pB", "pB"], &["pA"; 5], &[]);
        assert_eq!(&got[2..], ["pA", "pA", "pA"], "the bulk keeps the id");
        assert_ne!(got[0], "pA", "the piece gets an id of its own");
        assert_eq!(got[0], got[1]);
    }

    #[test]
    fn unchanged_people_keep_their_ids_and_new_ones_are_their_own() {
        let got = run(&["pA", "pA", "pB", "pC"], &["pA", "pA", "pB"], &[]);
        assert_eq!(got, ["pA", "pA", "pB", "pC"]);
    }

    #[test]
    fn an_id_a_curation_names_is_never_given_to_someone_else() {
        // pX was merged away by a curator; a new person whose earliest mention would name it pX gets another id.
        let got = run(&["pX", "pY"], &["pZ", "pY"], &["pX"]);
        assert_ne!(got[0], "pX");
        assert_eq!(got[1], "pY");
        // Mutual best partners inherit even a reserved id: they are the person it names.
        assert_eq!(run(&["pQ", "pQ"], &["pX", "pX"], &["pX"]), ["pX", "pX"]);
    }

    #[test]
    fn an_id_of_the_last_run_never_goes_to_someone_who_shares_nothing_with_its_person() {
        // The last run's pA (mention 3) went into the new pN, which keeps pB; the new person named pA by its
        // earliest mention shares nothing with the old pA, so it takes another id.
        let got = run(&["pA", "pM", "pM", "pN", "pN", "pN"], &["pS", "pS", "pS", "pA", "pB", "pB"], &[]);
        assert_ne!(got[0], "pA", "{got:?}");
        assert_eq!(&got[3..], ["pB", "pB", "pB"]);
    }

    #[test]
    fn two_people_joined_keep_the_larger_ones_id() {
        let got = run(&["pN", "pN", "pN"], &["pA", "pA", "pB"], &[]);
        assert_eq!(got, ["pA", "pA", "pA"]);
    }
}
