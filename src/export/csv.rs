//! The CSV export: one row per card with its state.

use std::borrow::Cow;
use std::io::Write;

use super::card::ExportedCard;
use super::{quoted_if, selected};
use crate::core::Selection;
use crate::store::Store;

/// One CSV row per card with its state, quoted as RFC 4180 says.
pub(crate) fn csv(store: &Store, selection: &Selection, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "id,deck,section,question,answer,note,line,status,repetitions,ease,interval,due,lapses,leech,last_review,added"
    )?;
    for card in selected(store, selection) {
        let v = ExportedCard::new(card, store.settings.leech_threshold);
        let day = |d: Option<chrono::NaiveDate>| d.map(crate::schedule::day::format).unwrap_or_default();
        let fields: [Cow<str>; 16] = [
            csv_field(&v.id),
            csv_field(&v.deck),
            csv_field(&v.section),
            csv_field(&v.question),
            csv_field(&v.answer),
            csv_field(&v.note),
            v.line.to_string().into(),
            v.status.clone(),
            v.repetitions.to_string().into(),
            card.state.ease.to_string().into(),
            v.interval.to_string().into(),
            day(v.due).into(),
            v.lapses.to_string().into(),
            v.leech.to_string().into(),
            day(v.last_review).into(),
            crate::schedule::day::format(v.added).into(),
        ];
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> Cow<'_, str> {
    quoted_if(text, text.contains([',', '"', '\n', '\r']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
    }
}
