//! Search features on real fixtures: the bundled demo corpus (107 works of the seed page) and a few
//! hand-made works where the demo has no example (DOIs, HTML in titles, near-duplicate words).

use arrow_engine::{
    Arrow, EngineError, IndexError, IngestOptions, SearchPage, SearchRequest, Sort, YearRange, DEMO_CORPUS,
};
use arrow_ingest::{parse_reader, Format};
use arrow_model::Work;
use std::collections::{BTreeMap, HashSet};

struct NoBar;
impl arrow_engine::Progress for NoBar {}

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    assert_eq!(arrow.load_demo().unwrap(), 107);
    (dir, arrow)
}

/// Adds hand-made works (JSON lines: id, title, abstract, authors, venue, year, type, doi).
fn add(dir: &tempfile::TempDir, arrow: &Arrow, lines: &[&str]) {
    let file = dir.path().join(format!("extra-{}.jsonl", arrow.stats().unwrap().works));
    std::fs::write(&file, lines.join("\n")).unwrap();
    let report = arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &NoBar).unwrap();
    assert_eq!(report.added as usize, lines.len());
}

fn demo_works() -> Vec<Work> {
    parse_reader(Format::Jsonl, "demo", DEMO_CORPUS.as_bytes()).unwrap().map(|r| r.unwrap().work).collect()
}

fn search(arrow: &Arrow, q: &str) -> SearchPage {
    arrow.search(&SearchRequest::query(q)).unwrap()
}

fn titles(page: &SearchPage) -> Vec<&str> {
    page.hits.iter().map(|h| h.work.title.as_str()).collect()
}

/// Words as the index sees them: folded, lower-case, split on anything not alphanumeric.
fn words(text: &str) -> Vec<String> {
    arrow_normalize::fold(text)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn has_phrase(text: &str, phrase: &[&str]) -> bool {
    let w = words(text);
    w.windows(phrase.len()).any(|win| win.iter().zip(phrase).all(|(a, b)| a == b))
}

fn searchable_texts(w: &Work) -> Vec<String> {
    let mut t = vec![w.title.clone()];
    t.extend(w.abstract_text.clone());
    t.extend(w.authors.iter().map(|a| a.name.clone()));
    t.extend(w.venue.clone());
    t
}

/// Every hit of a search, page after page through the cursors.
fn all_pages(arrow: &Arrow, opts: &SearchRequest, page_size: usize) -> Vec<(String, f32)> {
    let mut opts = opts.clone();
    opts.limit = page_size;
    opts.cursor = None;
    let mut out = Vec::new();
    let mut pages = 0;
    loop {
        let page = arrow.search(&opts).unwrap();
        assert_eq!(page.offset, out.len());
        assert!(page.hits.len() <= page_size);
        out.extend(page.hits.iter().map(|h| (h.work.id.0.clone(), h.score)));
        pages += 1;
        assert!(pages < 1000);
        match page.next_cursor {
            Some(c) => {
                assert_eq!(page.hits.len(), page_size, "only the last page is short");
                opts.cursor = Some(c);
            }
            None => {
                assert_eq!(out.len(), page.total, "the last page ends the list");
                return out;
            }
        }
    }
}

mod snippets {
    use super::*;

    fn marked(s: &arrow_engine::Snippet) -> Vec<String> {
        s.highlights.iter().map(|h| s.text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn titles_and_abstracts_mark_the_matched_words() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "hyena hierarchy");
        let hit = &page.hits[0];
        assert!(hit.work.title.starts_with("Hyena Hierarchy"));
        let h = hit.highlight.as_ref().unwrap();
        assert_eq!(h.title.text, hit.work.title, "the whole title");
        assert_eq!(marked(&h.title), ["Hyena", "Hierarchy"]);
        assert_eq!(
            h.title_html,
            "<mark>Hyena</mark> <mark>Hierarchy</mark>: Towards Larger Convolutional Language Models"
        );
        let snippet = h.snippet.as_ref().unwrap();
        assert!(marked(snippet).contains(&"Hyena".to_string()), "{snippet:?}");
        assert!(snippet.text.len() <= 260);
        assert!(hit.work.abstract_text.as_ref().unwrap().contains(&snippet.text));
        assert!(h.snippet_html.as_ref().unwrap().contains("<mark>Hyena</mark>"));
    }

    #[test]
    fn phrases_mark_each_word_and_only_in_the_fragment_shown() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "\"heavy-hitter oracle\"");
        let h = page.hits[0].highlight.as_ref().unwrap();
        assert_eq!(marked(&h.title), ["Heavy", "Hitter", "Oracle"]);
        for hit in &page.hits {
            let s = hit.highlight.as_ref().unwrap().snippet.as_ref().unwrap();
            for m in marked(s) {
                assert!(["heavy", "hitter", "oracle"].contains(&m.to_lowercase().as_str()), "{m}");
            }
        }
    }

    #[test]
    fn excluded_words_are_not_marked() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "\"state space\" -hippo");
        assert!(page.total > 5);
        for hit in &page.hits {
            let h = hit.highlight.as_ref().unwrap();
            let mut all = marked(&h.title);
            all.extend(h.snippet.iter().flat_map(marked));
            assert!(!all.is_empty(), "{}", hit.work.title);
            assert!(all.iter().all(|m| ["state", "space"].contains(&m.to_lowercase().as_str())), "{all:?}");
        }
    }

    #[test]
    fn fielded_words_are_marked_only_in_their_field() {
        let (_dir, arrow) = demo();
        // `title:gibbs` applies to the title only; `sampling` to every field.
        let page = search(&arrow, "title:gibbs sampling");
        assert!(page.total >= 3);
        for hit in &page.hits {
            let h = hit.highlight.as_ref().unwrap();
            assert!(marked(&h.title).iter().any(|m| m == "Gibbs"));
            let s = h.snippet.as_ref().unwrap();
            assert!(marked(s).iter().all(|m| m.to_lowercase() == "sampling"), "{:?}", marked(s));
        }
        let page = search(&arrow, "abstract:oracle");
        let h2o = page.hits.iter().find(|h| h.work.title.starts_with("H2O")).unwrap();
        let h = h2o.highlight.as_ref().unwrap();
        assert!(h.title.highlights.is_empty(), "abstract: words are not marked in the title");
        assert!(marked(h.snippet.as_ref().unwrap()).iter().any(|m| m.eq_ignore_ascii_case("oracle")));
        // Author, venue and year terms mark nothing in title or abstract.
        let page = search(&arrow, "author:re venue:icml year:2023");
        assert!(page.hits.iter().all(|h| h.highlight.as_ref().unwrap().title.highlights.is_empty()));
    }

    #[test]
    fn typos_mark_the_word_found() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "hierarhcy");
        assert!(page.fuzzy);
        let hyena = page.hits.iter().find(|h| h.work.title.starts_with("Hyena Hierarchy")).unwrap();
        assert_eq!(marked(&hyena.highlight.as_ref().unwrap().title), ["Hierarchy"]);
    }

    #[test]
    fn an_abstract_without_a_match_shows_its_opening_and_html_is_escaped() {
        let (dir, arrow) = demo();
        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"x:html","title":"<script>alert(1)</script> Quokka & \"Café\" Dynamics","abstract":"We study marsupials. <b>Bold</b> claims follow, with a long tail of words to make the abstract longer than one snippet: one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree.","authors":["Zoë Marsh"],"year":2024}"#,
            ],
        );
        let page = search(&arrow, "quokka cafe");
        let h = page.hits[0].highlight.as_ref().unwrap();
        assert_eq!(
            h.title_html,
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Quokka</mark> &amp; &quot;<mark>Café</mark>&quot; Dynamics"
        );
        let s = h.snippet.as_ref().unwrap();
        assert!(s.highlights.is_empty() && !s.cut_start && s.cut_end);
        assert!(s.text.starts_with("We study marsupials."));
        let html = h.snippet_html.as_ref().unwrap();
        assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt;") && html.ends_with('…') && !html.contains("<b>"));
    }

    #[test]
    fn highlights_are_optional_and_serialize_as_ranges_and_html() {
        let (_dir, arrow) = demo();
        let mut opts = SearchRequest::query("flashattention");
        opts.highlight = false;
        assert!(arrow.search(&opts).unwrap().hits.iter().all(|h| h.highlight.is_none()));
        opts.highlight = true;
        let page = arrow.search(&opts).unwrap();
        let json = serde_json::to_value(&page).unwrap();
        let title = &json["hits"][0]["highlight"]["title"];
        assert_eq!(title["highlights"][0]["start"], 0);
        assert_eq!(title["highlights"][0]["end"], "FlashAttention".len());
        assert!(json["hits"][0]["highlight"]["title_html"]
            .as_str()
            .unwrap()
            .starts_with("<mark>FlashAttention</mark>"));
    }

    #[test]
    fn the_empty_query_has_plain_titles() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "");
        for hit in &page.hits {
            let h = hit.highlight.as_ref().unwrap();
            assert!(h.title.highlights.is_empty());
            assert_eq!(h.title.text, hit.work.title);
        }
    }
}

mod paging {
    use super::*;

    fn check(arrow: &Arrow, opts: &SearchRequest) {
        let small = all_pages(arrow, opts, 7);
        let big = all_pages(arrow, opts, 100);
        assert_eq!(small, big, "{:?}", opts.q);
        let ids: HashSet<&String> = small.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), small.len(), "each hit exactly once");
        // Offsets agree with cursors.
        let mut by_offset = Vec::new();
        let mut o = opts.clone();
        o.limit = 7;
        while by_offset.len() < small.len() {
            o.offset = by_offset.len();
            let page = arrow.search(&o).unwrap();
            assert!(!page.hits.is_empty());
            by_offset.extend(page.hits.iter().map(|h| (h.work.id.0.clone(), h.score)));
        }
        assert_eq!(by_offset, small);
    }

    #[test]
    fn pages_of_seven_list_each_hit_once_in_the_big_pages_order() {
        let (_dir, arrow) = demo();
        for q in ["", "learning", "models", "\"language models\"", "author:re", "title:gibbs sampling", "-hyena"] {
            check(&arrow, &SearchRequest::query(q));
            let mut o = SearchRequest::query(q);
            o.sort = Sort::YearAsc;
            check(&arrow, &o);
            o.sort = Sort::YearDesc;
            check(&arrow, &o);
        }
        let mut o = SearchRequest::query("data");
        o.filters.venues = vec!["NeurIPS".into(), "ICML".into()];
        o.filters.years = Some(YearRange { from: Some(2016), to: Some(2022) });
        check(&arrow, &o);
        let all = all_pages(&arrow, &SearchRequest::query(""), 7);
        assert_eq!(all.len(), 107);
    }

    #[test]
    fn typo_tolerant_lists_page_too() {
        let (_dir, arrow) = demo();
        let opts = SearchRequest::query("hierarhcy");
        let one = all_pages(&arrow, &opts, 1);
        assert_eq!(one, all_pages(&arrow, &opts, 100));
        assert!(!one.is_empty(), "the typo finds titles with \"hierarchy\"");
    }

    #[test]
    fn ties_are_listed_once_each() {
        let (_dir, arrow) = demo();
        // The ICML 2016 and IJCAI 2017 versions of one paper score exactly alike.
        let all = all_pages(&arrow, &SearchRequest::query("\"ensuring rapid mixing\""), 1);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].1, all[1].1);
        assert_ne!(all[0].0, all[1].0);
    }

    #[test]
    fn a_cursor_is_refused_once_the_index_changes_or_for_another_search() {
        let (dir, arrow) = demo();
        let mut opts = SearchRequest::query("learning");
        opts.limit = 5;
        let first = arrow.search(&opts).unwrap();
        let cursor = first.next_cursor.clone().unwrap();
        let mut next = opts.clone();
        next.cursor = Some(cursor.clone());
        assert_eq!(arrow.search(&next).unwrap().offset, 5);

        let mut other = SearchRequest::query("models");
        other.cursor = Some(cursor.clone());
        assert!(matches!(arrow.search(&other), Err(EngineError::Index(IndexError::Cursor(_)))));
        let mut bad = opts.clone();
        bad.cursor = Some("not a cursor".into());
        let err = arrow.search(&bad).unwrap_err();
        assert!(matches!(err, EngineError::Index(IndexError::Cursor(_))), "{err}");

        add(&dir, &arrow, &[r#"{"id":"x:1","title":"Learning Quokka Habits","year":2024}"#]);
        let err = arrow.search(&next).unwrap_err();
        assert!(matches!(err, EngineError::Index(IndexError::Cursor(_))), "{err}");
        assert!(err.to_string().contains("index changed"), "{err}");
    }
}

mod related {
    use super::*;

    fn id_of(arrow: &Arrow, title: &str, year: i32) -> String {
        let page = search(arrow, &format!("title:\"{title}\""));
        page.hits.iter().find(|h| h.work.title == title && h.work.year == Some(year)).unwrap().work.id.0.clone()
    }

    #[test]
    fn hyena_relates_to_the_other_hyena_papers() {
        let (_dir, arrow) = demo();
        let id = id_of(&arrow, "Hyena Hierarchy: Towards Larger Convolutional Language Models", 2023);
        let related = arrow.related(&id, 10).unwrap();
        assert_eq!(related.len(), 10);
        assert!(related.iter().all(|h| h.work.id.0 != id), "never the work itself");
        let top: Vec<&str> = related.iter().take(3).map(|h| h.work.title.as_str()).collect();
        assert!(top.iter().any(|t| t.starts_with("Laughing Hyena")), "{top:?}");
        assert!(top.iter().any(|t| t.starts_with("HyenaDNA")), "{top:?}");
        let all: Vec<&str> = related.iter().map(|h| h.work.title.as_str()).collect();
        assert!(all.iter().any(|t| t.starts_with("FlashFFTConv")), "{all:?}");
        assert!(all.iter().any(|t| t.starts_with("Hungry Hungry Hippos")), "{all:?}");
    }

    #[test]
    fn a_conference_paper_finds_its_journal_twin_first() {
        let (_dir, arrow) = demo();
        let title = "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm";
        let icml = id_of(&arrow, title, 2014);
        let related = arrow.related(&icml, 5).unwrap();
        assert_eq!(related[0].work.title, title);
        assert_eq!(related[0].work.year, Some(2015));
        assert_eq!(related[0].work.venue.as_deref(), Some("JMLR"));
        assert!(related[1].work.title.to_lowercase().contains("asynchronous"), "{:?}", related[1].work.title);
    }

    #[test]
    fn shared_authors_count_and_unknown_works_have_none() {
        let (dir, arrow) = demo();
        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"x:a","title":"Quokka Census Methods","authors":["Zoë Marsh","Pat Lee"],"year":2020}"#,
                r#"{"id":"x:b","title":"Unrelated Words Entirely","authors":["Zoe Marsh"],"year":2021}"#,
                r#"{"id":"x:c","title":"Other Things","authors":["Sam Hill"],"year":2021}"#,
            ],
        );
        let related = arrow.related("x:a", 3).unwrap();
        assert_eq!(related[0].work.id.0, "x:b", "shares the author (diacritics aside)");
        assert!(arrow.related("nope:1", 5).unwrap().is_empty());
    }
}

mod suggest {
    use super::*;

    #[test]
    fn author_prefixes_find_christopher_re() {
        let (_dir, arrow) = demo();
        for prefix in ["chris", "Chris", "ré", "RE", "christopher r", "Christopher Ré"] {
            let s = arrow.suggest_authors(prefix, 5).unwrap();
            assert_eq!(s[0].name, "Christopher Ré", "{prefix}: {s:?}");
            assert_eq!(s[0].works, 107);
        }
        let s = arrow.suggest_authors("chris", 10).unwrap();
        assert!(s.iter().any(|a| a.name == "Christopher De Sa"));
        assert!(s.windows(2).all(|w| w[0].works >= w[1].works), "most works first");
        assert!(s.iter().all(|a| words(&a.name).iter().any(|w| w.starts_with("chris"))));
        // Homonym numbers make other names, but the number is not a way in.
        let s = arrow.suggest_authors("ce zhang", 5).unwrap();
        let names: Vec<&str> = s.iter().map(|a| a.name.as_str()).collect();
        assert!(names.contains(&"Ce Zhang") && names.contains(&"Ce Zhang 0001"), "{names:?}");
        assert!(arrow.suggest_authors("0001", 5).unwrap().is_empty());
        assert!(arrow.suggest_authors("  ", 5).unwrap().is_empty());
        assert!(arrow.suggest_authors("qqqq", 5).unwrap().is_empty());
        assert_eq!(arrow.suggest_authors("a", 3).unwrap().len(), 3);
    }

    #[test]
    fn short_prefixes_are_cached_until_the_index_changes() {
        let (dir, arrow) = demo();
        let before = arrow.suggest_authors("zo", 50).unwrap();
        assert_eq!(arrow.suggest_authors("zo", 50).unwrap(), before);
        assert_eq!(arrow.suggest_authors("zo", 2).unwrap(), before[..2.min(before.len())]);
        assert!(before.iter().all(|a| a.name != "Zoë Marsh"));
        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"x:z1","title":"Quokka Census","authors":["Zoë Marsh"],"year":2020}"#,
                r#"{"id":"x:z2","title":"Quokka Census Again","authors":["Zoë  Marsh"],"year":2021}"#,
            ],
        );
        let after = arrow.suggest_authors("zo", 50).unwrap();
        let zoe = after.iter().find(|a| a.name == "Zoë Marsh").unwrap();
        assert_eq!(zoe.works, 2, "written forms that fold alike are one name");
        assert_eq!(arrow.suggest_authors("marsh", 5).unwrap()[0].name, "Zoë Marsh");
    }

    #[test]
    fn counts_match_the_corpus() {
        let (_dir, arrow) = demo();
        let works = demo_works();
        for name in ["Albert Gu", "Tri Dao", "Christopher De Sa"] {
            let expected = works.iter().filter(|w| w.authors.iter().any(|a| a.name == name)).count() as u64;
            let s = arrow.suggest_authors(name, 1).unwrap();
            assert_eq!((s[0].name.as_str(), s[0].works), (name, expected));
        }
    }

    #[test]
    fn title_prefixes() {
        let (_dir, arrow) = demo();
        let t: Vec<String> = arrow.suggest_titles("hyena hier", 5).unwrap().into_iter().map(|t| t.title).collect();
        assert_eq!(t, ["Hyena Hierarchy: Towards Larger Convolutional Language Models"]);
        let t: Vec<String> = arrow.suggest_titles("Hyen", 5).unwrap().into_iter().map(|t| t.title).collect();
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t.iter().any(|t| t.starts_with("HyenaDNA")) && t.iter().any(|t| t.starts_with("Laughing Hyena")));
        let t = arrow.suggest_titles("ensuring rapid mix", 5).unwrap();
        let years: HashSet<Option<i32>> = t.iter().map(|t| t.year).collect();
        assert_eq!(years, HashSet::from([Some(2016), Some(2017)]), "two works, one title");
        assert!(arrow.suggest_titles(" ", 5).unwrap().is_empty());
    }
}

mod facets {
    use super::*;

    fn brute(works: &[Work], matches: &dyn Fn(&Work) -> bool, opts: &SearchRequest) -> Vec<Work> {
        works
            .iter()
            .filter(|w| matches(w))
            .filter(|w| {
                opts.filters.venues.is_empty() || w.venue.as_ref().is_some_and(|v| opts.filters.venues.contains(v))
            })
            .filter(|w| {
                opts.filters.types.is_empty() || w.pub_type.as_ref().is_some_and(|t| opts.filters.types.contains(t))
            })
            .filter(|w| opts.filters.years.is_none_or(|r| w.year.is_some_and(|wy| r.contains(wy))))
            .cloned()
            .collect()
    }

    fn counted(values: impl Iterator<Item = String>) -> BTreeMap<String, u64> {
        let mut m = BTreeMap::new();
        for v in values {
            *m.entry(v).or_default() += 1;
        }
        m
    }

    #[test]
    fn facet_counts_equal_a_brute_force_count() {
        let (_dir, arrow) = demo();
        let works = demo_works();
        type Matcher = Box<dyn Fn(&Work) -> bool>;
        let queries: Vec<(&str, Matcher)> = vec![
            ("", Box::new(|_| true)),
            ("data", Box::new(|w| searchable_texts(w).iter().any(|t| words(t).contains(&"data".to_string())))),
            ("author:re", Box::new(|w| w.authors.iter().any(|a| words(&a.name).contains(&"re".to_string())))),
            (
                "\"language models\"",
                Box::new(|w| searchable_texts(w).iter().any(|t| has_phrase(t, &["language", "models"]))),
            ),
            (
                "gpu OR fft -attention",
                Box::new(|w| {
                    let all: Vec<String> = searchable_texts(w).iter().flat_map(|t| words(t)).collect();
                    let has = |x: &str| all.iter().any(|w| w == x);
                    (has("gpu") || has("fft")) && !has("attention")
                }),
            ),
        ];
        type Filter = (Vec<&'static str>, Vec<&'static str>, (Option<i32>, Option<i32>));
        let filters: Vec<Filter> = vec![
            (vec![], vec![], (None, None)),
            (vec!["ICML"], vec![], (None, None)),
            (vec![], vec![], (Some(2019), Some(2022))),
            (vec!["NeurIPS", "ICLR"], vec![], (Some(2020), None)),
            (vec![], vec!["Journal Article"], (None, None)),
        ];
        for (q, matches) in &queries {
            for (venues, types, years) in &filters {
                let mut opts = SearchRequest::query(q);
                opts.filters.venues = venues.iter().map(|s| s.to_string()).collect();
                opts.filters.types = types.iter().map(|s| s.to_string()).collect();
                opts.filters.years = match *years {
                    (None, None) => None,
                    (from, to) => Some(YearRange { from, to }),
                };
                opts.facets = true;
                opts.limit = 100;
                let page = arrow.search(&opts).unwrap();
                let expected = brute(&works, matches.as_ref(), &opts);
                let what = format!("{q:?} {venues:?} {types:?} {years:?}");
                assert!(!page.fuzzy, "{what}");
                assert_eq!(page.total, expected.len(), "{what}");
                let found: HashSet<String> = all_pages(&arrow, &opts, 100).into_iter().map(|(id, _)| id).collect();
                let want: HashSet<String> = expected.iter().map(|w| w.id.0.clone()).collect();
                assert_eq!(found, want, "{what}");

                let f = page.facets.unwrap();
                let years: BTreeMap<String, u64> = f.years.iter().map(|c| (c.value.clone(), c.count)).collect();
                assert_eq!(years, counted(expected.iter().filter_map(|w| w.year.map(|y| y.to_string()))), "{what}");
                let sorted_years: Vec<i64> = f.years.iter().map(|c| c.value.parse().unwrap()).collect();
                assert!(sorted_years.windows(2).all(|w| w[0] < w[1]), "{what}");
                let venues: BTreeMap<String, u64> = f.venues.iter().map(|c| (c.value.clone(), c.count)).collect();
                assert_eq!(venues, counted(expected.iter().filter_map(|w| w.venue.clone())), "{what}");
                let types: BTreeMap<String, u64> = f.types.iter().map(|c| (c.value.clone(), c.count)).collect();
                assert_eq!(types, counted(expected.iter().filter_map(|w| w.pub_type.clone())), "{what}");
                assert!(f.venues.windows(2).all(|w| w[0].count >= w[1].count), "{what}");
            }
        }
    }

    #[test]
    fn facets_are_only_computed_when_asked() {
        let (_dir, arrow) = demo();
        assert!(search(&arrow, "data").facets.is_none());
    }
}

mod ranking {
    use super::*;

    #[test]
    fn year_sorts_are_ordered_and_missing_years_come_last() {
        let (dir, arrow) = demo();
        add(&dir, &arrow, &[r#"{"id":"x:noyear","title":"Learning Without a Date"}"#]);
        for (sort, newest_first) in [(Sort::YearDesc, true), (Sort::YearAsc, false)] {
            let mut o = SearchRequest::query("learning");
            o.sort = sort;
            let all = all_pages(&arrow, &o, 100);
            let years: Vec<Option<i32>> = all.iter().map(|(id, _)| arrow.work(id).unwrap().unwrap().year).collect();
            assert_eq!(years.last(), Some(&None), "{sort:?}");
            let known: Vec<i32> = years.iter().flatten().copied().collect();
            assert_eq!(known.len(), years.len() - 1);
            if newest_first {
                assert!(known.windows(2).all(|w| w[0] >= w[1]), "{known:?}");
            } else {
                assert!(known.windows(2).all(|w| w[0] <= w[1]), "{known:?}");
            }
        }
        let page = search(&arrow, "");
        assert_eq!(page.hits[0].work.year, Some(2025), "the empty query lists recent works first");
    }

    #[test]
    fn a_title_typed_as_the_query_ranks_its_paper_first() {
        let (_dir, arrow) = demo();
        let mut failures = Vec::new();
        for w in demo_works() {
            let page = search(&arrow, &w.title);
            if page.hits.first().map(|h| h.work.title.as_str()) != Some(w.title.as_str()) {
                failures
                    .push((w.title.clone(), titles(&page).into_iter().take(2).map(str::to_string).collect::<Vec<_>>()));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn title_matches_outrank_abstract_only_matches() {
        let (_dir, arrow) = demo();
        for word in [
            "hyena",
            "butterfly",
            "monarch",
            "benchmark",
            "robustness",
            "kernel",
            "attention",
            "sparse",
            "convolutions",
            "supervision",
            "embeddings",
            "augmentation",
            "quantization",
            "precision",
        ] {
            let mut o = SearchRequest::query(word);
            o.limit = 100;
            let page = arrow.search(&o).unwrap();
            let in_title: Vec<bool> =
                page.hits.iter().map(|h| words(&h.work.title).contains(&word.to_string())).collect();
            assert!(in_title.iter().any(|t| *t) && in_title.iter().any(|t| !*t), "{word}: both kinds");
            let first_other = in_title.iter().position(|t| !*t).unwrap();
            assert!(in_title[first_other..].iter().all(|t| !*t), "{word}: {:#?}", titles(&page));
        }
    }
}

mod query_forms {
    use super::*;

    #[test]
    fn phrases_match_consecutive_words() {
        let (_dir, arrow) = demo();
        let page = search(&arrow, "\"weak supervision\"");
        assert!(page.total >= 5);
        for h in &page.hits {
            assert!(searchable_texts(&h.work).iter().any(|t| has_phrase(t, &["weak", "supervision"])));
        }
        assert!(search(&arrow, "\"supervision weak\"").total < page.total);
    }

    #[test]
    fn fields_restrict_where_words_match() {
        let (_dir, arrow) = demo();
        let works = demo_works();
        let count = |f: &dyn Fn(&Work) -> bool| works.iter().filter(|w| f(w)).count();

        let page = search(&arrow, "title:hyena");
        assert_eq!(titles(&page).len(), 2, "{:?}", titles(&page));
        assert!(page.hits.iter().all(|h| words(&h.work.title).contains(&"hyena".into())));
        let abs = search(&arrow, "abstract:hyena");
        assert!(abs.total > page.total);

        let gu = search(&arrow, "author:\"albert gu\"");
        assert_eq!(gu.total, count(&|w| w.authors.iter().any(|a| a.name == "Albert Gu")));
        assert_eq!(search(&arrow, "venue:jmlr").total, count(&|w| w.venue.as_deref() == Some("JMLR")));
        assert_eq!(search(&arrow, "type:journal").total, count(&|w| w.pub_type.as_deref() == Some("Journal Article")));
        assert_eq!(search(&arrow, "year:2020").total, count(&|w| w.year == Some(2020)));
        let range = search(&arrow, "year:2018..2022");
        assert_eq!(range.total, count(&|w| w.year.is_some_and(|y| (2018..=2022).contains(&y))));
        assert_eq!(search(&arrow, "year:..2015").total, count(&|w| w.year.is_some_and(|y| y <= 2015)));
        let both = search(&arrow, "author:gu year:2022 venue:neurips");
        assert!(both.total >= 1);
        assert!(both.hits.iter().all(|h| h.work.year == Some(2022) && h.work.venue.as_deref() == Some("NeurIPS")));
    }

    #[test]
    fn ids_find_their_work() {
        let (dir, arrow) = demo();
        add(
            &dir,
            &arrow,
            &[r#"{"id":"x:doi","title":"Quokka Habitats","year":2021,"doi":"https://doi.org/10.1234/Quokka.5"}"#],
        );
        // Pasted bare, or as a link, a DOI is looked up as one (its pieces as words found other papers).
        let pasted = ["10.1234/Quokka.5", "https://doi.org/10.1234/quokka.5", "https://dx.doi.org/10.1234/QUOKKA.5"];
        for q in ["doi:10.1234/quokka.5", "doi:10.1234/QUOKKA.5", "doi:https://doi.org/10.1234/quokka.5"]
            .iter()
            .chain(&pasted)
        {
            let page = search(&arrow, q);
            assert_eq!(titles(&page), ["Quokka Habitats"], "{q}");
        }
        assert_eq!(search(&arrow, "doi:10.1234/quokka.6").total, 0);
        assert_eq!(search(&arrow, "doi:10").total, 0, "no DOI is no work's, not everyone's");
    }

    #[test]
    fn work_ids_find_their_work() {
        let (dir, arrow) = demo();
        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"dblp:conf/acl/SmithJ18","title":"Wombat Burrows","year":2018,"doi":"10.1234/wombat"}"#,
                r#"{"id":"openalex:W2741809807","title":"Numbat Diets","year":2017}"#,
                r#"{"id":"acl:P18-1001","title":"Acl P18 1001 Revisited","year":2019}"#,
                r#"{"id":"acl:P18-1002","title":"Bilby Tracks","year":2018}"#,
                r#"{"id":"dblp:journals/corr/abs-1706-03762","title":"Quoll Dens","year":2017}"#,
            ],
        );
        // A record of another source merged into the first by its DOI: its id names the merged work too.
        let file = dir.path().join("crossref.jsonl");
        std::fs::write(
            &file,
            r#"{"id":"crossref:wombat","title":"Wombat Burrows","doi":"10.1234/WOMBAT","source":"crossref"}"#,
        )
        .unwrap();
        let report = arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &NoBar).unwrap();
        assert_eq!((report.added, report.merged), (0, 1), "{report:?}");
        let cases = [
            ("dblp:conf/acl/SmithJ18", "Wombat Burrows"),
            ("id:dblp:conf/acl/SmithJ18", "Wombat Burrows"),
            ("conf/acl/SmithJ18", "Wombat Burrows"),
            ("https://dblp.org/rec/conf/acl/SmithJ18.html", "Wombat Burrows"),
            ("crossref:wombat", "Wombat Burrows"),
            ("https://openalex.org/W2741809807", "Numbat Diets"),
            ("openalex:W2741809807", "Numbat Diets"),
            // Six words as the index reads it: an id still, not a question ranked by most of its words.
            ("dblp:journals/corr/abs-1706-03762", "Quoll Dens"),
        ];
        for (q, title) in cases {
            assert_eq!(titles(&search(&arrow, q)), [title], "{q}");
        }
        // The id first, then what its pieces match as words.
        assert_eq!(titles(&search(&arrow, "acl:P18-1002")), ["Bilby Tracks"]);
        assert_eq!(titles(&search(&arrow, "id:acl:P18-1002 OR id:openalex:W2741809807")).len(), 2);
        assert_eq!(search(&arrow, "id:acl:P18-1003").total, 0, "an id no work has finds nothing");
        assert_eq!(search(&arrow, "id:acl:P18-1002 year:2019").total, 0, "filters still apply");
        assert_eq!(search(&arrow, "id:acl:P18-1002 -bilby").total, 0);
    }

    #[test]
    fn chinese_and_japanese_words_are_found_inside_titles() {
        let (dir, arrow) = demo();
        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"x:zh","title":"使用字典學習法於強健性語音辨識","year":2010}"#,
                r#"{"id":"x:ja","title":"日本語の形態素解析","year":2011}"#,
            ],
        );
        assert_eq!(titles(&search(&arrow, "語音辨識")), ["使用字典學習法於強健性語音辨識"]);
        assert_eq!(titles(&search(&arrow, "形態素")), ["日本語の形態素解析"]);
        assert_eq!(search(&arrow, "辨語音").total, 0, "its characters in order, as a phrase");
        assert_eq!(search(&arrow, "量子計算學習法").total, 0, "a phrase however long, not most of its characters");
    }

    #[test]
    fn a_word_too_long_for_the_index_finds_nothing() {
        let (_dir, arrow) = demo();
        assert_eq!(search(&arrow, &"a".repeat(1000)).total, 0);
        assert_eq!(search(&arrow, "&").total, 107, "punctuation alone asks for nothing");
    }

    #[test]
    fn negation_excludes() {
        let (_dir, arrow) = demo();
        let with = search(&arrow, "hyena");
        let without = search(&arrow, "hyena -hierarchy");
        assert_eq!(without.total, with.total - 2, "Hyena Hierarchy and FlashFFTConv (memory hierarchy)");
        assert!(titles(&without).iter().all(|t| !t.contains("Hierarchy")));
        assert_eq!(search(&arrow, "-hyena").total, 107 - with.total);
    }

    #[test]
    fn diacritics_and_case_fold() {
        let (_dir, arrow) = demo();
        let plain = search(&arrow, "author:re").total;
        assert_eq!(plain, 107);
        assert_eq!(search(&arrow, "author:ré").total, plain);
        assert_eq!(search(&arrow, "author:RÉ").total, plain);
        assert_eq!(search(&arrow, "author:\"christopher ré\"").total, plain);
    }

    #[test]
    fn typos_find_their_paper_below_exact_matches() {
        let (dir, arrow) = demo();
        let page = search(&arrow, "flashatention");
        assert!(page.fuzzy);
        assert!(page.hits[0].work.title.starts_with("FlashAttention"), "{:?}", titles(&page));
        let page = search(&arrow, "hyena hierarhcy");
        assert!(titles(&page)[0].starts_with("Hyena Hierarchy"), "{:?}", titles(&page));

        add(
            &dir,
            &arrow,
            &[
                r#"{"id":"x:q1","title":"Quokkas Count","year":2021}"#,
                r#"{"id":"x:q2","title":"Quokka Counting","year":2020}"#,
            ],
        );
        let page = search(&arrow, "quokka");
        assert!(!page.fuzzy, "a word found as typed is not widened");
        assert_eq!(titles(&page), ["Quokka Counting"]);
        let page = search(&arrow, "quokkka counting");
        assert!(page.fuzzy);
        assert_eq!(titles(&page), ["Quokka Counting"], "one edit away, found when nothing matched exactly");
        // Short words are not widened.
        assert_eq!(search(&arrow, "hyna").total, 0);
    }

    #[test]
    fn bad_syntax_is_read_as_plain_words() {
        let (_dir, arrow) = demo();
        for q in [
            "hyena hierarchy)",
            "(hyena hierarchy",
            "\"hyena hierarchy",
            "hyena OR",
            "title: hyena hierarchy",
            "hyena - hierarchy +",
            "(hyena) OR) hierarchy",
        ] {
            let page = search(&arrow, q);
            assert!(page.total >= 1, "{q}");
            assert!(titles(&page)[0].starts_with("Hyena Hierarchy"), "{q}: {:?}", titles(&page));
        }
        for q in ["((((", "\"", ")", "-", "OR", "title:", "year:abc"] {
            assert!(search(&arrow, q).total <= 107, "{q}");
        }
    }

    #[test]
    fn the_empty_query_lists_recent_works() {
        let (_dir, arrow) = demo();
        for q in ["", "   "] {
            let page = search(&arrow, q);
            assert_eq!(page.total, 107);
            let years: Vec<i32> = page.hits.iter().map(|h| h.work.year.unwrap()).collect();
            assert!(years.windows(2).all(|w| w[0] >= w[1]));
            assert_eq!(years[0], 2025);
        }
    }
}
