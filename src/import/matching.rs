//! Pairs a new parse of a deck's notes with the deck's cards, so edited cards keep their
//! progress: first by normalised question, then, among the cards left on both sides, by
//! question edits with a clear margin (a cloze card only with one of its deletion number).
//! Everything left is retired (old) or added (new).

use std::collections::HashMap;
use std::ops::Range;

use super::similarity::{answer_similarity, canonical, question_similarity, same_normalised, words};
use crate::core::{Card, Status};
use crate::notes::{CardDraft, Cloze};

/// A question edit needs at least this question similarity...
const QUESTION_THRESHOLD: f64 = 0.75;
/// ...and this answer similarity...
const ANSWER_THRESHOLD: f64 = 0.5;
/// ...and must beat every other candidate, on both sides, by this much.
const MARGIN: f64 = 0.1;
/// Words in more leftover questions than this are too common to find edit candidates by.
const COMMON_WORD: usize = 64;

/// An old card matched by a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Matched {
    /// Index into the drafts.
    pub(crate) draft: usize,
    /// Index into the old cards.
    pub(crate) old: usize,
    /// Matched as an edited question rather than an equal one.
    pub(crate) edited: bool,
}

/// The outcome of matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) matched: Vec<Matched>,
    /// Drafts that are new cards.
    pub(crate) new: Vec<usize>,
    /// Old cards no draft matched.
    pub(crate) unmatched: Vec<usize>,
}

/// Matches `drafts` against `old`, the deck's current cards (retired ones included).
pub(crate) fn plan(old: &[&Card], drafts: &[CardDraft]) -> Plan {
    if let Some(plan) = same_cards(old, drafts) {
        return plan;
    }
    if old.is_empty() || drafts.is_empty() {
        return Plan {
            matched: Vec::new(),
            new: (0..drafts.len()).collect(),
            unmatched: (0..old.len()).collect(),
        };
    }
    let mut old_keys: Vec<String> = old.iter().map(|card| canonical(&card.question)).collect();
    let mut draft_keys: Vec<String> = drafts.iter().map(|draft| canonical(&draft.question)).collect();
    let mut old_taken = vec![false; old.len()];
    let mut draft_taken = vec![false; drafts.len()];
    let mut matched = Vec::new();

    // Step 1: equal questions, grouped by their canonical form.
    let mut by_question: HashMap<&str, Vec<usize>> = HashMap::with_capacity(old.len());
    for (at, key) in old_keys.iter().enumerate() {
        by_question.entry(key).or_default().push(at);
    }
    let mut drafts_by_question: HashMap<&str, Vec<usize>> = HashMap::with_capacity(drafts.len());
    for (at, key) in draft_keys.iter().enumerate() {
        drafts_by_question.entry(key).or_default().push(at);
    }
    for (key, group) in &drafts_by_question {
        let Some(olds) = by_question.get_mut(key) else {
            continue;
        };
        // Cards in use before retired ones, then in source order.
        olds.sort_by_key(|&at| (old[at].status == Status::Retired, old[at].line));
        for (draft, old_at) in pair_equal_questions(old, drafts, olds, group) {
            old_taken[old_at] = true;
            draft_taken[draft] = true;
            matched.push(Matched {
                draft,
                old: old_at,
                edited: false,
            });
        }
    }

    // Step 2: edited questions, among what is left. A cloze card's question hides its own
    // deletion but shows the others, so an edit inside another deletion changes it: a cloze
    // card is known by its text without any of its deletions, and its number.
    let old_left: Vec<usize> = (0..old.len()).filter(|&at| !old_taken[at]).collect();
    let draft_left: Vec<usize> = (0..drafts.len()).filter(|&at| !draft_taken[at]).collect();
    let old_deletions = deletions(
        old.iter()
            .map(|c| (c.answer.as_str(), c.line, c.cloze.as_deref())),
    );
    for &at in &old_left {
        if let Some(key) = cloze_key(&old[at].answer, old[at].line, &old_deletions) {
            old_keys[at] = key;
        }
    }
    let draft_deletions = deletions(
        drafts
            .iter()
            .map(|d| (d.answer.as_str(), d.line, d.cloze.as_deref())),
    );
    for &at in &draft_left {
        if let Some(key) = cloze_key(&drafts[at].answer, drafts[at].line, &draft_deletions) {
            draft_keys[at] = key;
        }
    }
    for (draft, old_at) in pair_edited_questions(old, drafts, &old_keys, &draft_keys, &old_left, &draft_left)
    {
        old_taken[old_at] = true;
        draft_taken[draft] = true;
        matched.push(Matched {
            draft,
            old: old_at,
            edited: true,
        });
    }

    matched.sort_by_key(|m| m.draft);
    Plan {
        matched,
        new: (0..drafts.len()).filter(|&at| !draft_taken[at]).collect(),
        unmatched: (0..old.len()).filter(|&at| !old_taken[at]).collect(),
    }
}

/// Every deletion of each cloze text (its answer and line), gathered from the cards made
/// from it: each card knows only its own deletions.
fn deletions<'a>(
    cards: impl Iterator<Item = (&'a str, usize, Option<&'a Cloze>)>,
) -> HashMap<(&'a str, usize), Vec<Range<usize>>> {
    let mut all: HashMap<(&str, usize), Vec<Range<usize>>> = HashMap::new();
    for (answer, line, cloze) in cards {
        if let Some(cloze) = cloze {
            all.entry((answer, line))
                .or_default()
                .extend(cloze.revealed.iter().cloned());
        }
    }
    all
}

/// The key a cloze card is matched by across an edit: its text with every deletion left out.
/// `None` for a card that is not a cloze.
fn cloze_key(
    answer: &str,
    line: usize,
    deletions: &HashMap<(&str, usize), Vec<Range<usize>>>,
) -> Option<String> {
    let mut ranges = deletions.get(&(answer, line))?.clone();
    ranges.sort_by_key(|range| range.start);
    let mut text = String::with_capacity(answer.len());
    let mut at = 0;
    for range in ranges {
        if range.start < at || range.end > answer.len() {
            continue;
        }
        text.push_str(answer.get(at..range.start)?);
        text.push(' ');
        at = range.end;
    }
    text.push_str(answer.get(at..)?);
    Some(canonical(&text))
}

/// The plan when the cards in use are the drafts one for one, in line order, with the same
/// question, answer and section: the usual re-import, which then needs no normalising.
fn same_cards(old: &[&Card], drafts: &[CardDraft]) -> Option<Plan> {
    let (mut in_use, retired): (Vec<usize>, Vec<usize>) =
        (0..old.len()).partition(|&at| old[at].status != Status::Retired);
    if in_use.len() != drafts.len() {
        return None;
    }
    in_use.sort_by_key(|&at| old[at].line);
    let same = |(draft, &at): (&CardDraft, &usize)| {
        let card = old[at];
        card.question == draft.question && card.answer == draft.answer && card.section == draft.section
    };
    drafts.iter().zip(&in_use).all(same).then(|| Plan {
        matched: in_use
            .iter()
            .enumerate()
            .map(|(draft, &old)| Matched {
                draft,
                old,
                edited: false,
            })
            .collect(),
        new: Vec::new(),
        unmatched: retired,
    })
}

/// Pairs cards sharing a question (their canonical form): by equal answer, then equal section,
/// then in order.
fn pair_equal_questions(
    old: &[&Card],
    drafts: &[CardDraft],
    olds: &[usize],
    group: &[usize],
) -> Vec<(usize, usize)> {
    if let ([one_old], [one_draft]) = (olds, group) {
        return vec![(*one_draft, *one_old)];
    }
    let same_answer = |o: usize, d: usize| same_normalised(&old[o].answer, &drafts[d].answer);
    let same_section = |o: usize, d: usize| old[o].section == drafts[d].section;
    let any = |_: usize, _: usize| true;
    let rules: [&dyn Fn(usize, usize) -> bool; 3] = [&same_answer, &same_section, &any];
    let mut old_free: Vec<bool> = vec![true; olds.len()];
    let mut draft_free: Vec<bool> = vec![true; group.len()];
    let mut pairs = Vec::new();
    for rule in rules {
        for (d, &draft) in group.iter().enumerate() {
            if !draft_free[d] {
                continue;
            }
            if let Some(o) = (0..olds.len()).find(|&o| old_free[o] && rule(olds[o], draft)) {
                old_free[o] = false;
                draft_free[d] = false;
                pairs.push((draft, olds[o]));
            }
        }
    }
    pairs
}

/// Pairs a leftover draft with a leftover old card when the question looks edited, the answers
/// are similar, and the pair beats every other candidate of either card by [`MARGIN`].
/// Candidates are found through shared words, so matched cards are never compared.
fn pair_edited_questions(
    old: &[&Card],
    drafts: &[CardDraft],
    old_keys: &[String],
    draft_keys: &[String],
    old_left: &[usize],
    draft_left: &[usize],
) -> Vec<(usize, usize)> {
    if old_left.is_empty() || draft_left.is_empty() {
        return Vec::new();
    }
    let old_words: HashMap<usize, Vec<&str>> =
        old_left.iter().map(|&at| (at, words(&old_keys[at]))).collect();
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (&at, list) in &old_words {
        for &word in list {
            let posting = postings.entry(word).or_default();
            if posting.last() != Some(&at) {
                posting.push(at);
            }
        }
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for &draft in draft_left {
        let new_words = words(&draft_keys[draft]);
        let mut seen: Vec<usize> = new_words
            .iter()
            .filter_map(|word| postings.get(word))
            .filter(|posting| posting.len() <= COMMON_WORD)
            .flatten()
            .copied()
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let number = drafts[draft].cloze.as_ref().map(|cloze| cloze.number);
        for old_at in seen {
            // A cloze card is its text and its deletion number: an edit keeps the number.
            if old[old_at].cloze.as_ref().map(|cloze| cloze.number) != number {
                continue;
            }
            let Some(question) = question_similarity(&old_words[&old_at], &new_words) else {
                continue;
            };
            if question < QUESTION_THRESHOLD {
                continue;
            }
            // A cloze card's answer is the text just compared.
            let answer = if number.is_some() {
                1.0
            } else {
                answer_similarity(&old[old_at].answer, &drafts[draft].answer)
            };
            if answer >= ANSWER_THRESHOLD {
                candidates.push((question + answer, draft, old_at));
            }
        }
    }
    let clear_winner = |&(score, draft, old_at): &(f64, usize, usize)| {
        candidates.iter().all(|&(other, d, o)| {
            let rival = (d == draft) != (o == old_at);
            !rival || score - other >= MARGIN
        })
    };
    candidates
        .iter()
        .filter(|c| clear_winner(c))
        .map(|&(_, draft, old_at)| (draft, old_at))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::sm2::CardState;

    fn card(question: &str, answer: &str, section: &str, line: usize) -> Card {
        Card {
            id: format!("id{line}"),
            deck: "d".into(),
            section: section.into(),
            question: question.into(),
            answer: answer.into(),
            note: String::new(),
            line,
            cloze: None,
            added: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
            fsrs: None,
            fsrs_before: None,
        }
    }

    fn draft(question: &str, answer: &str, section: &str, line: usize) -> CardDraft {
        CardDraft {
            section: section.into(),
            question: question.into(),
            answer: answer.into(),
            note: String::new(),
            line,
            ..CardDraft::default()
        }
    }

    #[test]
    fn a_cloze_card_matches_an_edit_only_with_its_own_deletion_number() {
        let cloze = |number| {
            Some(Box::new(crate::notes::Cloze {
                number,
                revealed: Vec::new(),
            }))
        };
        let answer = "Paris is the capital of France";
        let mut old = card("[...] is the capital of France", answer, "", 1);
        old.cloze = cloze(1);
        let typo_fix = CardDraft {
            cloze: cloze(1),
            ..draft("[...] is the capitol of France", answer, "", 1)
        };
        let other_deletion = CardDraft {
            cloze: cloze(2),
            ..typo_fix.clone()
        };
        let plan = plan(&[&old], &[typo_fix]);
        assert_eq!(plan.matched.len(), 1);
        let plan = self::plan(&[&old], &[other_deletion]);
        assert_eq!((plan.new, plan.unmatched), (vec![0], vec![0]));
    }

    #[test]
    fn equal_questions_match_after_normalising() {
        let old = [
            card("What is  ReLU?", "max(0, x)", "L1", 1),
            card("Why?", "Because", "L1", 2),
        ];
        let drafts = [
            draft("why?", "Because.", "L2", 5),
            draft("what is relu?", "max(0,x) elementwise", "L1", 9),
        ];
        let plan = plan(&old.iter().collect::<Vec<_>>(), &drafts);
        assert_eq!(
            plan.matched,
            [
                Matched {
                    draft: 0,
                    old: 1,
                    edited: false
                },
                Matched {
                    draft: 1,
                    old: 0,
                    edited: false
                }
            ]
        );
        assert!(plan.new.is_empty() && plan.unmatched.is_empty());
    }

    #[test]
    fn repeated_questions_are_told_apart_by_answer_then_section_then_order() {
        let old = [
            card("What is it?", "alpha", "L1", 1),
            card("What is it?", "beta", "L2", 2),
            card("What is it?", "gamma", "L3", 3),
        ];
        let drafts = [
            draft("What is it?", "gamma", "L1", 1),
            draft("What is it?", "changed", "L2", 2),
            draft("What is it?", "changed too", "L9", 3),
        ];
        let plan = plan(&old.iter().collect::<Vec<_>>(), &drafts);
        let pairs: Vec<_> = plan.matched.iter().map(|m| (m.draft, m.old)).collect();
        assert_eq!(pairs, [(0, 2), (1, 1), (2, 0)]);
    }

    #[test]
    fn an_edited_question_with_a_similar_answer_keeps_its_card() {
        let old = [card(
            "What is batch normalisaton?",
            "Normalise activations per channel.",
            "L7",
            1,
        )];
        let drafts = [draft(
            "What is batch normalisation?",
            "Normalise activations per channel over the batch.",
            "L7",
            1,
        )];
        let plan = plan(&old.iter().collect::<Vec<_>>(), &drafts);
        assert_eq!(
            plan.matched,
            [Matched {
                draft: 0,
                old: 0,
                edited: true
            }]
        );
    }

    #[test]
    fn a_changed_number_makes_a_new_card() {
        let old = [card(
            "What is the L1 distance?",
            "Sum of absolute differences.",
            "L2",
            1,
        )];
        let drafts = [draft(
            "What is the L2 distance?",
            "Sum of absolute differences.",
            "L2",
            1,
        )];
        let plan = plan(&old.iter().collect::<Vec<_>>(), &drafts);
        assert!(plan.matched.is_empty());
        assert_eq!((plan.new, plan.unmatched), (vec![0], vec![0]));
    }

    #[test]
    fn two_near_identical_candidates_without_a_clear_winner_are_not_matched() {
        let old = [card(
            "What is a deep network?",
            "A network with many layers.",
            "L1",
            1,
        )];
        let drafts = [
            draft(
                "What is a very deep network?",
                "A network with many layers.",
                "L1",
                1,
            ),
            draft(
                "What is a deep network exactly?",
                "A network with many layers.",
                "L1",
                5,
            ),
        ];
        let plan = plan(&old.iter().collect::<Vec<_>>(), &drafts);
        assert!(plan.matched.is_empty());
        assert_eq!(plan.new, [0, 1]);
    }

    #[test]
    fn a_dissimilar_answer_blocks_an_edit_match() {
        let old = [card(
            "What is dropout?",
            "Zeroing random activations during training.",
            "L9",
            1,
        )];
        let drafts = [draft(
            "What is inverted dropout?",
            "Scaling at training time so test time needs nothing.",
            "L9",
            1,
        )];
        assert!(plan(&old.iter().collect::<Vec<_>>(), &drafts).matched.is_empty());
    }

    /// Words a generated question may use: no negation among them, so one can be added.
    fn plain_words() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
        use proptest::prelude::*;
        prop::collection::vec("[a-z]{1,9}", 2..12).prop_filter("no negation yet", |words| {
            words
                .iter()
                .all(|w| canonical(w) == *w && !["not", "no", "never"].contains(&w.as_str()))
        })
    }

    fn matches(old_question: &str, new_question: &str) -> bool {
        let old = [card(old_question, "the same answer", "S", 1)];
        let drafts = [draft(new_question, "the same answer", "S", 1)];
        !plan(&old.iter().collect::<Vec<_>>(), &drafts).matched.is_empty()
    }

    proptest::proptest! {
        #[test]
        fn inserting_a_negation_never_matches(
            words in plain_words(),
            at in 0usize..12,
            negation in proptest::sample::select(vec!["not", "no", "never", "doesn't", "can't", "won't", "isn't", "cannot", "didnt", "Never"]),
        ) {
            let question = format!("{}?", words.join(" "));
            let mut negated = words.clone();
            negated.insert(at.min(words.len()), negation.to_string());
            let negated = format!("{}?", negated.join(" "));
            proptest::prop_assert!(!matches(&question, &negated), "{question} / {negated}");
            proptest::prop_assert!(!matches(&negated, &question), "{negated} / {question}");
        }

        #[test]
        fn adding_or_removing_apostrophes_inside_words_always_matches(
            words in plain_words(),
            cuts in proptest::collection::vec((0usize..12, 1usize..9, proptest::sample::select(vec!['\'', '\u{2019}'])), 1..4),
            drop_from_old in proptest::bool::ANY,
        ) {
            let plain = format!("{}?", words.join(" "));
            let mut marked = words.clone();
            for (word, at, apostrophe) in cuts {
                let word = &mut marked[word % words.len()];
                let chars: Vec<char> = word.chars().collect();
                if chars.len() >= 2 {
                    let at = 1 + at % (chars.len() - 1);
                    *word = chars[..at].iter().chain([apostrophe].iter()).chain(chars[at..].iter()).collect();
                }
            }
            let marked = format!("{}?", marked.join(" "));
            let (old, new) = if drop_from_old { (&marked, &plain) } else { (&plain, &marked) };
            proptest::prop_assert!(matches(old, new), "{old} / {new}");
        }
    }
}
