//! Deciding what an import changes: the records that make the change, and the report of each
//! file. Each file's notes are matched against its deck's cards first (so the same question in
//! two decks stays two cards); what is left is matched across decks: a question moved to
//! another file keeps its card, and a card retired from another deck comes back. A card about
//! to retire whose question now stands, as a card never reviewed, in another deck takes that
//! card's place, so the order in which the two files are imported does not matter. The cards
//! of a deck whose notes file is gone are candidates too: that file was split or merged into
//! the files being imported.

use std::collections::{HashMap, HashSet};

use super::{Change, Counts, DeckRenamed, Prepared, Report};
use super::{matching, obsidian};
use crate::core::{Card, CardText, Kind, Record, Stamp, Status};
use crate::notes::CardDraft;
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

/// What an import does: its records, in the order they apply, and a report per file.
pub(super) struct Merged {
    pub(super) records: Vec<Record>,
    pub(super) reports: Vec<Report>,
}

/// Decides how every prepared file merges into `store`. `orphaned` names the decks whose notes
/// file is gone: their cards may move to this import's decks as if their file had been
/// imported without them.
pub(super) fn merge(
    store: &Store,
    prepared: &mut [Prepared],
    orphaned: &HashSet<String>,
    stamp: Stamp,
) -> Merged {
    let cards = store.cards();
    // A deck of this import by its name, and by the name it had before it followed its title.
    let mut deck_of: HashMap<&str, usize> = HashMap::new();
    for (file, p) in prepared.iter().enumerate() {
        deck_of.insert(p.name.as_str(), file);
        if let Some(old) = &p.renamed_from {
            deck_of.insert(old.as_str(), file);
        }
    }
    let file_of = |card: &Card| deck_of.get(card.deck.as_str()).copied();
    let mut old_of: Vec<Vec<usize>> = vec![Vec::new(); prepared.len()];
    for (at, card) in cards.iter().enumerate() {
        if let Some(file) = file_of(card) {
            old_of[file].push(at);
        }
    }

    // Within each deck.
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
                        file_of(card).is_none()
                            && (card.status == Status::Retired || orphaned.contains(&card.deck))
                    })
                    .map(|(at, _)| at),
            )
            .collect();
        let old: Vec<&Card> = candidates.iter().map(|&at| &cards[at]).collect();
        let drafts: Vec<CardDraft> = if old.is_empty() {
            Vec::new()
        } else {
            new_drafts
                .iter()
                .map(|&(file, draft)| prepared[file].notes.cards[draft].clone())
                .collect()
        };
        let plan = matching::plan(&old, &drafts);
        let mut taken_drafts = HashSet::new();
        let mut taken_cards = HashSet::new();
        for m in &plan.matched {
            let (file, draft) = new_drafts[m.draft];
            let card = candidates[m.old];
            // Its own deck was tried first, with the margins of its own cards.
            if file_of(&cards[card]) == Some(file) {
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

    let mut out = Output {
        records: Vec::with_capacity(pairings.len() + new_drafts.len() + leaving.len() + prepared.len()),
        reports: prepared.iter().map(empty_report).collect(),
        changed: vec![false; prepared.len()],
        stamp,
    };
    out.decks(store, prepared);
    for (pairing, untouched) in pairings.iter().zip(untouched(cards, prepared, &pairings)) {
        if untouched {
            out.reports[pairing.file].counts.unchanged += 1;
        } else {
            out.pairing(cards, prepared, pairing, &file_of);
        }
    }
    for &(card, taken) in &moved_away {
        let (leaving_card, target) = (&cards[card], &cards[taken]);
        let Some(file) = file_of(leaving_card) else {
            continue;
        };
        let to = place(target);
        out.records.push(Record {
            deck: Some(target.deck.clone()),
            text: Some(Box::new(target.text())),
            ..Record::new(Kind::CardMoved, &leaving_card.id, stamp)
        });
        out.reports[file].moved.push(Change {
            to: Some(format!("{to}, in place of the new card {}", target.id)),
            ..change(
                &leaving_card.id,
                &target.section,
                &target.question,
                target.line,
                None,
            )
        });
        out.changed[file] = true;
    }
    for &at in &leaving {
        let card = &cards[at];
        if card.status == Status::Retired {
            continue;
        }
        out.records.push(Record::new(Kind::CardRetired, &card.id, stamp));
        if let Some(file) = file_of(card) {
            out.reports[file]
                .retired
                .push(change(&card.id, &card.section, &card.question, card.line, None));
            out.changed[file] = true;
        }
    }
    // Room made at once: a first import of 100,000 cards grew these a step at a time.
    let mut ids = HashSet::with_capacity(new_drafts.len());
    let mut new_per_file = vec![0; prepared.len()];
    for &(file, _) in &new_drafts {
        new_per_file[file] += 1;
    }
    for (report, count) in out.reports.iter_mut().zip(new_per_file) {
        report.new.reserve_exact(count);
    }
    for &(file, draft_at) in &new_drafts {
        let name = prepared[file].name.clone();
        let draft = &mut prepared[file].notes.cards[draft_at];
        let id = loop {
            let id = store.new_card_id();
            if ids.insert(id.clone()) {
                break id;
            }
        };
        let progress = draft.progress.as_deref().map(obsidian::sm2_state);
        if progress.is_some() {
            out.reports[file].counts.progress_from_notes += 1;
        }
        out.reports[file]
            .new
            .push(change(&id, &draft.section, &draft.question, draft.line, None));
        out.records.push(Record {
            deck: Some(name),
            // The draft is not looked at again: its text moves into the record.
            text: Some(Box::new(take_text(draft))),
            added: Some(stamp.day),
            after: progress,
            from: progress.map(|_| obsidian::SOURCE.to_string()),
            ..Record::new(Kind::CardAdded, &id, stamp)
        });
        out.changed[file] = true;
    }
    // The never-reviewed cards whose place a reviewed card took leave without a word.
    for &at in &replaced {
        out.records
            .push(Record::new(Kind::CardRetired, &cards[at].id, stamp));
    }
    out.finish()
}

/// Which pairings leave their card as it is, its text and place those of its draft: most of
/// them in a re-import. Found on every core: comparing 100,000 cards' text with their drafts'
/// was most of an unchanged import's merge.
fn untouched(cards: &[Card], prepared: &[Prepared], pairings: &[Pairing]) -> Vec<bool> {
    let untouched = |p: &Pairing| {
        let (card, draft) = (&cards[p.card], &prepared[p.file].notes.cards[p.draft]);
        !p.edited
            && !p.across
            && card.status != Status::Retired
            && draft.progress.is_none()
            && same_text(card, draft)
    };
    let chunk = pairings.len().div_ceil(crate::cores::cores()).max(16_384);
    let parts: Vec<&[Pairing]> = pairings.chunks(chunk).collect();
    crate::cores::each_on_a_thread(parts, |part| part.iter().map(untouched).collect::<Vec<bool>>())
        .into_iter()
        .flatten()
        .collect()
}

/// The records and reports as they are made.
struct Output {
    records: Vec<Record>,
    reports: Vec<Report>,
    changed: Vec<bool>,
    stamp: Stamp,
}

impl Output {
    /// The decks: renamed after a new title, made, or with new settings (a new file, format or
    /// heading patterns).
    fn decks(&mut self, store: &Store, prepared: &[Prepared]) {
        for (file, p) in prepared.iter().enumerate() {
            let existing = match &p.renamed_from {
                Some(old) => {
                    self.records.push(Record {
                        to: Some(p.name.clone()),
                        follows_title: true,
                        ..Record::for_deck(Kind::DeckRenamed, old, self.stamp)
                    });
                    self.changed[file] = true;
                    store.deck(old)
                }
                None => store.deck(&p.name),
            };
            let kind = match existing {
                Some(deck) if deck.settings(store.device()) == p.settings => continue,
                Some(_) => Kind::DeckChanged,
                None => Kind::DeckAdded,
            };
            self.records.push(Record {
                settings: Some(Box::new(p.settings.clone())),
                ..Record::for_deck(kind, &p.name, self.stamp)
            });
            self.changed[file] = true;
        }
    }

    /// What a pairing changes about its card, and how the report puts it.
    fn pairing(
        &mut self,
        cards: &[Card],
        prepared: &[Prepared],
        pairing: &Pairing,
        file_of: &dyn Fn(&Card) -> Option<usize>,
    ) {
        let draft = &prepared[pairing.file].notes.cards[pairing.draft];
        let card = &cards[pairing.card];
        let report = &mut self.reports[pairing.file];
        // recall owns the schedule of a card it has: its notes' progress is taken again only
        // when asked.
        if let Some(progress) = draft.progress.as_deref()
            && !obsidian::holds(&card.state, progress)
        {
            if prepared[pairing.file].progress_from_notes {
                self.records.push(Record {
                    after: Some(obsidian::sm2_state(progress)),
                    from: Some(obsidian::SOURCE.to_string()),
                    ..Record::new(Kind::ProgressTaken, &card.id, self.stamp)
                });
                report.counts.progress_from_notes += 1;
                self.changed[pairing.file] = true;
            } else {
                report.counts.progress_left_alone += 1;
            }
        }
        let retired = card.status == Status::Retired;
        if retired {
            self.records
                .push(Record::new(Kind::CardRestored, &card.id, self.stamp));
        }
        if pairing.across {
            // The deck it leaves changed too (its report lists the card under its new deck).
            if let Some(source) = file_of(card) {
                self.changed[source] = true;
            }
            let from = if retired { card.deck.clone() } else { place(card) };
            let change = Change {
                from: Some(from),
                ..change(&card.id, &draft.section, &draft.question, draft.line, None)
            };
            self.records.push(Record {
                deck: Some(prepared[pairing.file].name.clone()),
                text: Some(Box::new(text_of(draft))),
                ..Record::new(Kind::CardMoved, &card.id, self.stamp)
            });
            if retired {
                report.restored.push(change);
            } else {
                report.moved.push(change);
            }
            self.changed[pairing.file] = true;
            return;
        }
        let (list, was) = if retired {
            (&mut report.restored, None)
        } else if pairing.edited {
            (&mut report.renamed, Some(card.question.clone()))
        } else if card.section != draft.section {
            (&mut report.moved, Some(card.section.clone()))
        } else if card.answer != draft.answer || card.note != draft.note {
            (&mut report.updated, None)
        } else {
            report.counts.unchanged += 1;
            // Text the same but for case, spacing or apostrophes, a line that moved, or a
            // deletion renumbered.
            if !same_text(card, draft) {
                self.records.push(Record {
                    text: Some(Box::new(text_of(draft))),
                    ..Record::new(Kind::CardEdited, &card.id, self.stamp)
                });
                self.changed[pairing.file] = true;
            }
            return;
        };
        list.push(change(&card.id, &draft.section, &draft.question, draft.line, was));
        if !same_text(card, draft) {
            self.records.push(Record {
                text: Some(Box::new(text_of(draft))),
                ..Record::new(Kind::CardEdited, &card.id, self.stamp)
            });
        }
        self.changed[pairing.file] = true;
    }

    fn finish(mut self) -> Merged {
        for (report, changed) in self.reports.iter_mut().zip(self.changed) {
            report.changed = changed;
            report.counts = Counts {
                new: report.new.len(),
                updated: report.updated.len(),
                renamed: report.renamed.len(),
                moved: report.moved.len(),
                retired: report.retired.len(),
                restored: report.restored.len(),
                ..report.counts
            };
        }
        Merged {
            records: self.records,
            reports: self.reports,
        }
    }
}

/// The report of a file before anything is merged.
fn empty_report(p: &Prepared) -> Report {
    Report {
        file: p.file.clone(),
        deck: p.name.clone(),
        changed: false,
        deck_renamed: p.renamed_from.as_ref().map(|from| DeckRenamed {
            from: from.clone(),
            to: p.name.clone(),
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

/// `DECK › SECTION`, or the deck alone when the card has no section.
fn place(card: &Card) -> String {
    if card.section.is_empty() {
        card.deck.clone()
    } else {
        format!("{} › {}", card.deck, card.section)
    }
}

/// A draft's text and place, taken out of it.
fn take_text(draft: &mut CardDraft) -> CardText {
    CardText {
        section: std::mem::take(&mut draft.section),
        question: std::mem::take(&mut draft.question),
        answer: std::mem::take(&mut draft.answer),
        note: std::mem::take(&mut draft.note),
        line: draft.line,
        cloze: draft.cloze.take(),
    }
}

/// A card's text and place, as a draft.
fn draft_of(card: &Card) -> CardDraft {
    CardDraft {
        section: card.section.clone(),
        question: card.question.clone(),
        answer: card.answer.clone(),
        note: card.note.clone(),
        line: card.line,
        cloze: card.cloze.clone(),
        ..CardDraft::default()
    }
}

/// A draft's text and place, as a card has them.
fn text_of(draft: &CardDraft) -> CardText {
    CardText {
        section: draft.section.clone(),
        question: draft.question.clone(),
        answer: draft.answer.clone(),
        note: draft.note.clone(),
        line: draft.line,
        cloze: draft.cloze.clone(),
    }
}

/// Whether `card` has `draft`'s text and place already.
fn same_text(card: &Card, draft: &CardDraft) -> bool {
    card.section == draft.section
        && card.question == draft.question
        && card.answer == draft.answer
        && card.note == draft.note
        && card.line == draft.line
        && card.cloze == draft.cloze
}

/// A card's line in a report: its id, section, question and line in the notes.
fn change(id: &str, section: &str, question: &str, line: usize, was: Option<String>) -> Change {
    Change {
        id: id.to_string(),
        section: section.to_string(),
        question: question.to_string(),
        line,
        was,
        from: None,
        to: None,
    }
}
