//! Applying an import to the collection. Each file's notes are matched against its deck's
//! cards first (so the same question in two decks stays two cards); what is left is matched
//! across decks: a question moved to another file keeps its card, and a card retired from
//! another deck comes back. A card about to retire whose question now stands, as a card never
//! reviewed, in another deck takes that card's place, so the order in which the two files are
//! imported does not matter. The cards of a deck whose notes file is gone are candidates too:
//! that file was split or merged into the files being imported.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::matching;
use super::{Change, Counts, DeckRenamed, Prepared, Report};
use crate::core::{Card, Status};
use crate::notes::CardDraft;
use crate::schedule::sm2::CardState;
use crate::store::Store;

/// A draft of one file paired with a card of the collection.
struct Pairing {
    file: usize,
    draft: usize,
    /// The card's position in the collection.
    card: usize,
    /// Matched as an edited question rather than an equal one.
    edited: bool,
    /// The card comes from another deck.
    across: bool,
}

/// Merges every prepared file into `store` and reports what each one did.
/// `orphaned` names the decks whose notes file is gone: their cards may move to this import's
/// decks as if their file had been imported without them.
pub(super) fn merge(
    store: &mut Store,
    prepared: Vec<Prepared>,
    orphaned: &HashSet<String>,
    today: NaiveDate,
) -> Vec<Report> {
    let mut changed = vec![false; prepared.len()];
    for (file, p) in prepared.iter().enumerate() {
        if let Some(old) = &p.renamed_from {
            store.rename_deck(old, &p.deck.name);
            changed[file] = true;
        }
    }
    let deck_of: HashMap<&str, usize> = prepared
        .iter()
        .enumerate()
        .map(|(file, p)| (p.deck.name.as_str(), file))
        .collect();
    let mut old_of: Vec<Vec<usize>> = vec![Vec::new(); prepared.len()];
    for (at, card) in store.collection.cards.iter().enumerate() {
        if let Some(&file) = deck_of.get(card.deck.as_str()) {
            old_of[file].push(at);
        }
    }

    // Within each deck.
    let cards = &store.collection.cards;
    let mut pairings = Vec::new();
    let mut new_drafts: Vec<(usize, usize)> = Vec::new();
    let mut leaving: Vec<usize> = Vec::new();
    for (file, p) in prepared.iter().enumerate() {
        let old: Vec<&Card> = old_of[file].iter().map(|&at| &cards[at]).collect();
        let plan = matching::plan(&old, &p.notes.cards);
        pairings.extend(plan.matched.iter().map(|m| Pairing {
            file,
            draft: m.draft,
            card: old_of[file][m.old],
            edited: m.edited,
            across: false,
        }));
        new_drafts.extend(plan.new.iter().map(|&draft| (file, draft)));
        leaving.extend(plan.unmatched.iter().map(|&at| old_of[file][at]));
    }

    // Across decks: the cards leaving a deck of this import, the retired cards of the others
    // and every card of a deck whose file is gone, for the questions no deck of its own took.
    if !new_drafts.is_empty() {
        let candidates: Vec<usize> = leaving
            .iter()
            .copied()
            .chain(
                cards
                    .iter()
                    .enumerate()
                    .filter(|(_, card)| {
                        !deck_of.contains_key(card.deck.as_str())
                            && (card.status == Status::Retired || orphaned.contains(&card.deck))
                    })
                    .map(|(at, _)| at),
            )
            .collect();
        let old: Vec<&Card> = candidates.iter().map(|&at| &cards[at]).collect();
        let drafts: Vec<CardDraft> = new_drafts
            .iter()
            .map(|&(file, draft)| prepared[file].notes.cards[draft].clone())
            .collect();
        let plan = matching::plan(&old, &drafts);
        let mut taken_drafts = HashSet::new();
        let mut taken_cards = HashSet::new();
        for m in &plan.matched {
            let (file, draft) = new_drafts[m.draft];
            let card = candidates[m.old];
            // Its own deck was tried first, with the margins of its own cards.
            if cards[card].deck == prepared[file].deck.name {
                continue;
            }
            pairings.push(Pairing {
                file,
                draft,
                card,
                edited: m.edited,
                across: true,
            });
            taken_drafts.insert(m.draft);
            taken_cards.insert(card);
        }
        new_drafts = new_drafts
            .into_iter()
            .enumerate()
            .filter(|(n, _)| !taken_drafts.contains(n))
            .map(|(_, draft)| draft)
            .collect();
        leaving.retain(|at| !taken_cards.contains(at));
    }

    // A card about to retire whose question is, never reviewed, in another deck: it takes
    // that card's place (the other file was imported first).
    let mut replaced: Vec<usize> = Vec::new();
    let mut moved_away: Vec<(usize, usize)> = Vec::new();
    let retiring: Vec<usize> = leaving
        .iter()
        .copied()
        .filter(|&at| cards[at].status != Status::Retired)
        .collect();
    if !retiring.is_empty() {
        // Cards that stay where they are: neither leaving nor moved by this import.
        let settled: HashSet<usize> = leaving
            .iter()
            .copied()
            .chain(pairings.iter().filter(|p| p.across).map(|p| p.card))
            .collect();
        let fresh: Vec<usize> = cards
            .iter()
            .enumerate()
            .filter(|(at, card)| {
                card.status == Status::Active
                    && card.state.is_new()
                    && card.buried.is_none()
                    && !settled.contains(at)
            })
            .map(|(at, _)| at)
            .collect();
        let old: Vec<&Card> = retiring.iter().map(|&at| &cards[at]).collect();
        let drafts: Vec<CardDraft> = fresh.iter().map(|&at| draft_of(&cards[at])).collect();
        let plan = matching::plan(&old, &drafts);
        let paired_with: HashMap<usize, usize> =
            pairings.iter().enumerate().map(|(n, p)| (p.card, n)).collect();
        for m in &plan.matched {
            let (card, taken) = (retiring[m.old], fresh[m.draft]);
            if cards[card].deck == cards[taken].deck {
                continue;
            }
            match paired_with.get(&taken) {
                // The fresh card matched a draft of this import: the old card takes the draft.
                Some(&n) => {
                    pairings[n].card = card;
                    pairings[n].across = true;
                }
                None => moved_away.push((card, taken)),
            }
            replaced.push(taken);
        }
        let gone: HashSet<usize> = plan.matched.iter().map(|m| retiring[m.old]).collect();
        leaving.retain(|at| !gone.contains(at));
    }

    let mut reports: Vec<Report> = prepared.iter().map(empty_report).collect();
    for pairing in &pairings {
        let draft = &prepared[pairing.file].notes.cards[pairing.draft];
        let deck = &prepared[pairing.file].deck.name;
        let card = &mut store.collection.cards[pairing.card];
        let report = &mut reports[pairing.file];
        if pairing.across {
            let retired = card.status == Status::Retired;
            let from = if retired || card.section.is_empty() {
                card.deck.clone()
            } else {
                format!("{} › {}", card.deck, card.section)
            };
            if retired {
                restore(card);
            }
            // The deck it leaves changed too (its report lists the card under its new deck).
            if let Some(&source) = deck_of.get(card.deck.as_str()) {
                changed[source] = true;
            }
            card.deck.clone_from(deck);
            update(card, draft);
            let change = Change {
                from: Some(from),
                ..change(card, None)
            };
            if retired {
                report.restored.push(change);
            } else {
                report.moved.push(change);
            }
            changed[pairing.file] = true;
            continue;
        }
        let (list, was) = if card.status == Status::Retired {
            restore(card);
            (&mut report.restored, None)
        } else if pairing.edited {
            (&mut report.renamed, Some(card.question.clone()))
        } else if card.section != draft.section {
            (&mut report.moved, Some(card.section.clone()))
        } else if card.answer != draft.answer || card.note != draft.note {
            (&mut report.updated, None)
        } else {
            report.counts.unchanged += 1;
            // Text the same but for case, spacing or apostrophes, or a line that moved.
            changed[pairing.file] |= card.question != draft.question || card.line != draft.line;
            update(card, draft);
            continue;
        };
        update(card, draft);
        list.push(change(card, was));
        changed[pairing.file] = true;
    }
    let file_of_deck = |deck: &str| deck_of.get(deck).copied();
    for &(card, taken) in &moved_away {
        let target = store.collection.cards[taken].clone();
        let leaving_card = &mut store.collection.cards[card];
        let Some(file) = file_of_deck(&leaving_card.deck) else {
            continue;
        };
        let to = if target.section.is_empty() {
            target.deck.clone()
        } else {
            format!("{} › {}", target.deck, target.section)
        };
        leaving_card.deck.clone_from(&target.deck);
        update(leaving_card, &draft_of(&target));
        reports[file].moved.push(Change {
            to: Some(format!("{to}, in place of the new card {}", target.id)),
            ..change(leaving_card, None)
        });
        changed[file] = true;
    }
    for &at in &leaving {
        let card = &mut store.collection.cards[at];
        if card.status == Status::Retired {
            continue;
        }
        card.retired_while_suspended = card.status == Status::Suspended;
        card.status = Status::Retired;
        let Some(file) = file_of_deck(&card.deck) else {
            continue;
        };
        reports[file].retired.push(change(card, None));
        changed[file] = true;
    }
    for &(file, draft_at) in &new_drafts {
        let draft = &prepared[file].notes.cards[draft_at];
        let card = Card {
            id: store.new_card_id(),
            deck: prepared[file].deck.name.clone(),
            section: draft.section.clone(),
            question: draft.question.clone(),
            answer: draft.answer.clone(),
            note: draft.note.clone(),
            line: draft.line,
            added: today,
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
        };
        reports[file].new.push(change(&card, None));
        store.add_card(card);
        changed[file] = true;
    }
    if !replaced.is_empty() {
        let ids: HashSet<String> = replaced
            .iter()
            .map(|&at| store.collection.cards[at].id.clone())
            .collect();
        store.remove_cards(|card| ids.contains(&card.id));
    }
    for (file, p) in prepared.into_iter().enumerate() {
        let decks = &mut store.collection.decks;
        match decks.iter_mut().find(|d| d.name == p.deck.name) {
            Some(existing) if *existing == p.deck => {}
            Some(existing) => {
                *existing = p.deck;
                changed[file] = true;
            }
            None => {
                decks.push(p.deck);
                changed[file] = true;
            }
        }
        let report = &mut reports[file];
        report.changed = changed[file];
        report.counts = Counts {
            new: report.new.len(),
            updated: report.updated.len(),
            renamed: report.renamed.len(),
            moved: report.moved.len(),
            retired: report.retired.len(),
            restored: report.restored.len(),
            unchanged: report.counts.unchanged,
        };
    }
    reports
}

/// The report of a file before anything is merged.
fn empty_report(p: &Prepared) -> Report {
    Report {
        file: p.file.clone(),
        deck: p.deck.name.clone(),
        changed: false,
        deck_renamed: p.renamed_from.as_ref().map(|from| DeckRenamed {
            from: from.clone(),
            to: p.deck.name.clone(),
        }),
        counts: Counts::default(),
        new: Vec::new(),
        updated: Vec::new(),
        renamed: Vec::new(),
        moved: Vec::new(),
        retired: Vec::new(),
        restored: Vec::new(),
        warnings: p.notes.warnings.clone(),
        outside: p.notes.skipped.len(),
    }
}

/// A retired card back in use, suspended if it was when it left.
fn restore(card: &mut Card) {
    card.status = if card.retired_while_suspended {
        Status::Suspended
    } else {
        Status::Active
    };
    card.retired_while_suspended = false;
}

/// A card's text and place, as a draft.
fn draft_of(card: &Card) -> CardDraft {
    CardDraft {
        section: card.section.clone(),
        question: card.question.clone(),
        answer: card.answer.clone(),
        note: card.note.clone(),
        line: card.line,
        ..CardDraft::default()
    }
}

fn update(card: &mut Card, draft: &CardDraft) {
    card.section.clone_from(&draft.section);
    card.question.clone_from(&draft.question);
    card.answer.clone_from(&draft.answer);
    card.note.clone_from(&draft.note);
    card.line = draft.line;
}

fn change(card: &Card, was: Option<String>) -> Change {
    Change {
        id: card.id.clone(),
        section: card.section.clone(),
        question: card.question.clone(),
        line: card.line,
        was,
        from: None,
        to: None,
    }
}
