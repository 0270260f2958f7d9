//! Tests of the connector search (kept apart: they are longer than the search).

use super::*;
use crate::connector::{ActionSummary, ConnectorSummary};
use proptest::prelude::*;

const ALL: Caps = Caps {
    connectors: usize::MAX,
    actions: usize::MAX,
};

fn act(id: &str, name: &str) -> ActionSummary {
    ActionSummary {
        id: id.into(),
        name: name.into(),
        visibility: ApiVisibility::Normal,
        deprecated: false,
    }
}

fn conn(id: &str, name: &str, actions: Vec<ActionSummary>) -> ConnectorSummary {
    ConnectorSummary {
        id: id.into(),
        name: name.into(),
        color: String::new(),
        categories: vec![],
        auth: vec![],
        actions,
    }
}

fn index() -> CatalogIndex {
    let mut folders = act("ListMailFolders", "List mail folders");
    folders.visibility = ApiVisibility::Internal;
    let mut old = act("SendMail", "Send mail (old)");
    old.deprecated = true;
    let mut flag = act("Flag", "Flag email");
    flag.visibility = ApiVisibility::Advanced;
    let mut sites = act("ListSites", "List sites");
    sites.visibility = ApiVisibility::Internal;
    CatalogIndex {
        connectors: vec![
            conn(
                "sharepoint",
                "SharePoint",
                vec![
                    act("GetItems", "Get items"),
                    act("PostItem", "Create item"),
                    sites,
                ],
            ),
            conn(
                "office365outlook",
                "Office 365 Outlook",
                vec![
                    act("SendEmailV2", "Send an email (V2)"),
                    act("GetEmailsV3", "Get emails (V3)"),
                    folders,
                    old,
                    flag,
                ],
            ),
            conn(
                "http",
                "HTTP",
                vec![act("InvokeHttp", "Invoke an HTTP request")],
            ),
            conn("uber", "Über Fahrten", vec![act("Book", "Fahrt BUCHEN")]),
        ],
    }
}

fn build(ix: &CatalogIndex) -> ConnectorSearch {
    ConnectorSearch::new(ix, str::to_lowercase)
}

/// The hits as "Connector: action, action" lines ("Connector (whole): …" when whole).
fn lines(ix: &CatalogIndex, hits: &Hits) -> Vec<String> {
    hits.connectors
        .iter()
        .map(|h| {
            let c = &ix.connectors[h.connector];
            let names: Vec<&str> = h
                .actions
                .iter()
                .map(|a| c.actions[*a].name.as_str())
                .collect();
            let whole = if h.whole { " (whole)" } else { "" };
            format!("{}{whole}: {}", c.name, names.join(", "))
        })
        .collect()
}

fn check(query: &str, want: &[&str]) {
    let ix = index();
    let s = build(&ix);
    assert_eq!(
        lines(&ix, &s.search(&query.to_lowercase(), ALL)),
        want,
        "query {query:?}"
    );
}

#[test]
fn browsing_lists_connectors_by_name_without_internal_or_deprecated_actions() {
    let ix = index();
    let s = build(&ix);
    let names: Vec<&str> = s
        .connectors()
        .map(|i| ix.connectors[i].name.as_str())
        .collect();
    assert_eq!(
        names,
        ["HTTP", "Office 365 Outlook", "SharePoint", "Über Fahrten"]
    );
    let outlook: Vec<&str> = s
        .browse(1)
        .into_iter()
        .map(|a| ix.connectors[1].actions[a].name.as_str())
        .collect();
    assert_eq!(
        outlook,
        ["Flag email", "Get emails (V3)", "Send an email (V2)"]
    );
    assert_eq!(s.count(1), 3);
    assert_eq!(s.count(0), 2);
    assert_eq!(s.count(99), 0);
    assert!(s.browse(99).is_empty());
}

#[test]
fn search_finds_actions_under_their_connector_and_whole_connectors_by_name() {
    check("send an email", &["Office 365 Outlook: Send an email (V2)"]);
    check("SEND an", &["Office 365 Outlook: Send an email (V2)"]);
    check(
        "outlook",
        &["Office 365 Outlook (whole): Flag email, Get emails (V3), Send an email (V2)"],
    );
    // Words may match the connector's name or the action's, in any order.
    check(
        "email outlook send",
        &["Office 365 Outlook: Send an email (V2)"],
    );
    check(
        "outlook send",
        &["Office 365 Outlook: Send an email (V2), Send mail (old)"],
    );
    // A connector whose name matches ranks before connectors with matching actions.
    check("http", &["HTTP (whole): Invoke an HTTP request"]);
    check("item", &["SharePoint: Create item, Get items"]);
    check(
        "e",
        &[
            "Office 365 Outlook (whole): Flag email, Get emails (V3), Send an email (V2)",
            "SharePoint (whole): Create item, Get items",
            "Über Fahrten (whole): Fahrt BUCHEN",
            "HTTP: Invoke an HTTP request",
        ],
    );
}

#[test]
fn deprecated_actions_are_found_by_search_and_internal_ones_never() {
    check("old", &["Office 365 Outlook: Send mail (old)"]);
    check("mail folders", &[]);
    check("list", &[]);
    check("sites", &[]);
}

#[test]
fn search_folds_case_beyond_ascii_and_never_matches_across_names() {
    check("über", &["Über Fahrten (whole): Fahrt BUCHEN"]);
    check("fahrt buchen", &["Über Fahrten: Fahrt BUCHEN"]);
    check("buchen", &["Über Fahrten: Fahrt BUCHEN"]);
    // "…(v2)" then "get…" are neighbours in the flat text, not one name.
    check("(v2)get", &[]);
    check("itemsget", &[]);
    check("", &[]);
    check("   ", &[]);
}

/// `i` in base 26 with the letters a–z, three of them.
fn letters(i: usize) -> String {
    [i / 676, i / 26 % 26, i % 26]
        .iter()
        .map(|d| (b'a' + *d as u8) as char)
        .collect()
}

#[test]
fn results_stop_at_the_caps_and_say_how_much_matched() {
    let ix = CatalogIndex {
        connectors: (0..1000)
            .map(|i| {
                let actions = (0..16)
                    .map(|k| act(&format!("op{k}"), &format!("Do thing {k}")))
                    .collect();
                conn(
                    &format!("c{i:04}"),
                    &format!("Connector {}", letters(i)),
                    actions,
                )
            })
            .collect(),
    };
    let s = build(&ix);
    let caps = Caps {
        connectors: 50,
        actions: 200,
    };
    let hits = s.search("thing 1", caps);
    // "Do thing 1", "Do thing 10" … "Do thing 15": 7 per connector.
    assert_eq!(hits.total_connectors, 1000);
    assert_eq!(hits.total_actions, 7000);
    assert_eq!(hits.shown_actions, 200);
    assert_eq!(
        hits.connectors.len(),
        29,
        "28 connectors of 7, then 4 of the 29th"
    );
    assert_eq!(hits.connectors[28].actions.len(), 4);
    assert!(hits.capped());
    let hits = s.search("connector", caps);
    // 12 whole connectors of 16 actions, then 8 rows of the 13th.
    assert_eq!(hits.connectors.len(), 13);
    assert_eq!(hits.connectors[12].actions.len(), 8);
    assert!(hits.connectors.iter().all(|h| h.whole));
    let hits = s.search("connector bml", caps);
    assert_eq!(
        (
            hits.total_connectors,
            hits.total_actions,
            hits.shown_actions
        ),
        (1, 16, 16)
    );
    assert!(!hits.capped());
    let hits = s.search(
        "connector",
        Caps {
            connectors: 3,
            actions: 1000,
        },
    );
    assert_eq!((hits.connectors.len(), hits.shown_actions), (3, 48));
}

#[test]
fn memory_narrows_from_remembered_words_and_gives_the_same_answers() {
    let ix = index();
    let s = build(&ix);
    let mut memory = Memory::default();
    for q in [
        "se",
        "sen",
        "send",
        "send a",
        "send an",
        "send an e",
        "outlook send",
        "item",
        "it",
        "fahrt",
        "",
        "get",
    ] {
        assert_eq!(
            s.search_with(q, ALL, &mut memory),
            s.search(q, ALL),
            "{q:?}"
        );
    }
}

#[test]
fn connectors_without_an_action_to_show_are_left_out() {
    let mut ix = index();
    let mut hidden = act("Hidden", "Hidden thing");
    hidden.visibility = ApiVisibility::Internal;
    let mut old = act("Old", "Old thing");
    old.deprecated = true;
    ix.connectors
        .push(conn("internal", "Zeta internal", vec![hidden]));
    ix.connectors.push(conn("old", "Zeta old", vec![old]));
    ix.connectors.push(conn("empty", "Zeta empty", vec![]));
    let s = build(&ix);
    assert_eq!(s.connectors().count(), 4);
    assert_eq!(s.connector_count(), 4);
    assert!(s
        .connectors()
        .all(|i| !ix.connectors[i].name.starts_with("Zeta")));
    // By name: only the deprecated action of "Zeta old" is there to show.
    assert_eq!(lines(&ix, &s.search("zeta", ALL)), ["Zeta old: Old thing"]);
    assert_eq!(s.search("zeta", ALL).total_connectors, 1);
}

#[test]
fn locate_finds_listable_actions_by_their_flow_id() {
    let ix = index();
    let s = build(&ix);
    assert_eq!(
        s.locate(&ix, "connector:office365outlook/SendEmailV2"),
        Some((1, 0))
    );
    assert_eq!(s.locate(&ix, "connector:sharepoint/PostItem"), Some((0, 1)));
    assert_eq!(
        s.locate(&ix, "connector:office365outlook/ListMailFolders"),
        None,
        "internal"
    );
    assert_eq!(s.locate(&ix, "connector:nope/SendEmailV2"), None);
    assert_eq!(s.locate(&ix, "variables.set"), None);
    assert_eq!(s.locate(&ix, "connector:http"), None);
}

#[test]
fn a_separator_in_a_name_does_not_split_it() {
    let ix = CatalogIndex {
        connectors: vec![conn("x", "Two\nlines", vec![act("a", "First\nsecond")])],
    };
    let s = build(&ix);
    assert_eq!(
        lines(&ix, &s.search("two lines", ALL)),
        ["Two\nlines (whole): First\nsecond"]
    );
    assert_eq!(s.search("first second", ALL).total_actions, 1);
}

proptest! {
    /// The flat-array search agrees with filtering every name, for any names and query.
    #[test]
    fn agrees_with_a_plain_filter(
        names in prop::collection::vec(("[ab ]{1,6}", prop::collection::vec(("[abc ]{1,8}", 0u8..4), 0..5)), 0..8),
        query in "[abc ]{0,5}",
    ) {
        let ix = CatalogIndex {
            connectors: names.iter().enumerate().map(|(i, (n, acts))| {
                let actions = acts.iter().enumerate().map(|(k, (a, kind))| ActionSummary {
                    id: format!("op{k}"),
                    name: a.clone(),
                    visibility: if *kind == 3 { ApiVisibility::Internal } else { ApiVisibility::Normal },
                    deprecated: *kind == 2,
                }).collect();
                conn(&format!("c{i}"), n, actions)
            }).collect(),
        };
        let s = build(&ix);
        let got = s.search(&query, ALL);
        // Typed a letter at a time, with memory, the answers are the same.
        let mut memory = Memory::default();
        for end in 0..=query.len() {
            let prefix = &query[..end];
            prop_assert_eq!(s.search_with(prefix, ALL, &mut memory), s.search(prefix, ALL), "{:?}", prefix);
        }
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut want: Vec<(bool, usize, Vec<usize>)> = Vec::new();
        if !words.is_empty() {
            for (i, c) in ix.connectors.iter().enumerate() {
                let shown = c.actions.iter().any(|a| a.visibility != ApiVisibility::Internal && !a.deprecated);
                let whole = shown && words.iter().all(|w| c.name.contains(w));
                let acts: Vec<usize> = c.actions.iter().enumerate().filter(|(_, a)| {
                    a.visibility != ApiVisibility::Internal
                        && if whole { !a.deprecated } else { words.iter().all(|w| c.name.contains(w) || a.name.contains(w)) }
                }).map(|(k, _)| k).collect();
                if !acts.is_empty() {
                    want.push((whole, i, acts));
                }
            }
        }
        let mut got_sets: Vec<(bool, usize, Vec<usize>)> = got.connectors.iter().map(|h| {
            let mut a = h.actions.clone();
            a.sort();
            (h.whole, h.connector, a)
        }).collect();
        got_sets.sort_by_key(|(w, i, _)| (!*w, *i));
        want.sort_by_key(|(w, i, _)| (!*w, *i));
        prop_assert_eq!(got_sets, want);
        // Whole connectors first.
        let firsts: Vec<bool> = got.connectors.iter().map(|h| h.whole).collect();
        prop_assert!(firsts.windows(2).all(|w| w[0] || !w[1]));
    }
}
