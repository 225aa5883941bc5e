//! Cloze cards through the binary: imported, reviewed, and kept through edits of their text.

use crate::common::Recall;

/// The card of `number` in `cards` (JSON from `recall cards`).
fn cloze(cards: &[serde_json::Value], number: u64) -> &serde_json::Value {
    cards
        .iter()
        .find(|card| {
            card["question"].as_str().is_some_and(|q| q.contains('[')) && card_number(card) == number
        })
        .unwrap_or_else(|| panic!("no cloze {number} in {cards:?}"))
}

fn card_number(card: &serde_json::Value) -> u64 {
    card["cloze"]["number"].as_u64().unwrap_or_default()
}

#[test]
fn a_cloze_card_keeps_its_progress_through_edits_of_its_text() {
    let collection = Recall::new("2026-09-01T12:00:00Z");
    let notes = collection.dir.path().join("history.txt");
    std::fs::write(
        &notes,
        "History\nThe {{c1::Bastille}} was stormed in {{c2::1789}}, in Pariss.\n",
    )
    .unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    collection.review("2026-09-01T12:00:00Z", &"\n5\n".repeat(2));
    let before = collection.cards();
    assert_eq!(before.len(), 2);
    let ids: Vec<&str> = [1, 2].map(|n| cloze(&before, n)["id"].as_str().unwrap()).to_vec();

    // A typo fixed outside the deletions, the year corrected, and a third deletion added.
    std::fs::write(
        &notes,
        "History\nThe {{c1::Bastille}} was stormed in {{c2::1790}}, in {{c3::Paris}}.\n",
    )
    .unwrap();
    let report = collection.ok(&["import", notes.to_str().unwrap()]);
    assert!(
        report.contains("1 new, 0 updated, 2 renamed, 0 moved, 0 retired"),
        "{report}"
    );
    let after = collection.cards();
    assert_eq!(after.len(), 3, "{after:?}");
    for (n, id) in [1, 2].into_iter().zip(&ids) {
        let card = cloze(&after, n);
        assert_eq!(card["id"], *id, "cloze {n} keeps its card");
        assert_eq!(card["repetitions"], 1, "cloze {n} keeps its progress");
    }
    assert_eq!(
        cloze(&after, 2)["answer"],
        "The Bastille was stormed in 1790, in Paris."
    );
    assert_eq!(cloze(&after, 3)["repetitions"], 0);
}

#[test]
fn a_cloze_card_is_its_text_and_number_a_new_text_is_a_new_card() {
    let collection = Recall::new("2026-09-01T12:00:00Z");
    let notes = collection.dir.path().join("bio.md");
    std::fs::write(
        &notes,
        "# Biology\n\n## Cells\n\nThe ==mitochondria== makes the cell's energy.\n",
    )
    .unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    let id = collection.cards()[0]["id"].clone();
    // The same words hidden in another sentence: a new card, not an edit.
    std::fs::write(
        &notes,
        "# Biology\n\n## Cells\n\nThe ==mitochondria== is where respiration happens in plants.\n",
    )
    .unwrap();
    let report = collection.ok(&["import", notes.to_str().unwrap()]);
    assert!(
        report.contains("1 new, 0 updated, 0 renamed, 0 moved, 1 retired"),
        "{report}"
    );
    let cards = collection.cards();
    let active: Vec<_> = cards.iter().filter(|c| c["status"] != "retired").collect();
    assert_ne!(active[0]["id"], id);
    // The card is read back with its cloze after the caches are rebuilt from the log.
    for cache in ["collection.json", "progress.json", "history.json"] {
        std::fs::remove_file(collection.data().join(cache)).unwrap();
    }
    let listed = collection
        .at(&collection.now)
        .args(["cards", "--all", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(listed.stderr).unwrap();
    assert!(
        stderr.starts_with("recall: rebuilt the collection from its logs"),
        "{stderr}"
    );
    let cards: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let active = cards.iter().find(|c| c["status"] != "retired").unwrap();
    assert_eq!(active["cloze"]["number"], 1);
    assert_eq!(
        active["cloze"]["revealed"][0],
        serde_json::json!({"start": 4, "end": 16})
    );
}

#[test]
fn a_deletion_renumbered_in_the_notes_is_renumbered_on_its_card() {
    let collection = Recall::new("2026-09-01T12:00:00Z");
    let notes = collection.dir.path().join("history.txt");
    std::fs::write(&notes, "History\nThe {{c1::Bastille}} was stormed.\n").unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    let before = collection.cards();
    std::fs::write(&notes, "History\nThe {{c2::Bastille}} was stormed.\n").unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    let after = collection.cards();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0]["id"], before[0]["id"]);
    assert_eq!(card_number(&after[0]), 2, "{after:?}");
    // And the next import of the same notes changes nothing.
    let report = collection.ok(&["import", notes.to_str().unwrap()]);
    assert!(report.contains("unchanged"), "{report}");
}
