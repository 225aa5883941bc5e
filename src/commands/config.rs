//! `recall config`: every setting with its value, default and meaning; `set` and `reset`.

use std::io::Write;

use serde_json::Value;

use super::{Context, stdout_error};
use crate::cli::{ConfigArgs, ConfigCommand};
use crate::core::settings::{self, SETTINGS, Settings};
use crate::error::{Error, Result};
use crate::store;

pub(super) fn run(context: &Context, args: ConfigArgs, out: &mut impl Write) -> Result<()> {
    let Some(action) = args.action else {
        let store = context.open()?;
        if let Err(no_collection) = store.check_exists() {
            super::say(&no_collection.to_string());
        }
        let defaults = Settings::default();
        let text = |value: Value| value.as_str().map_or_else(|| value.to_string(), str::to_string);
        let rows: Vec<[String; 5]> = SETTINGS
            .iter()
            .map(|setting| {
                [
                    setting.key.to_string(),
                    text(store.settings.get(setting.key).unwrap_or(Value::Null)),
                    setting.choices.to_string(),
                    text(defaults.get(setting.key).unwrap_or(Value::Null)),
                    setting.meaning.to_string(),
                ]
            })
            .collect();
        let header = ["SETTING", "VALUE", "ALLOWED", "DEFAULT", "MEANING"].map(String::from);
        let widths: Vec<usize> = (0..4)
            .map(|column| {
                std::iter::once(&header)
                    .chain(&rows)
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(&header).chain(&rows) {
            writeln!(
                out,
                "{:<a$}  {:<b$}  {:<c$}  {:<d$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                a = widths[0],
                b = widths[1],
                c = widths[2],
                d = widths[3]
            )
            .map_err(stdout_error)?;
        }
        return Ok(());
    };
    let (key, value) = match action {
        ConfigCommand::Set { key, value } => {
            // A whole number, a fraction, true or false, or a list of numbers; anything else
            // (a negative whole number too) is taken as a word, and refused as one.
            let text = value.trim();
            let parsed = match (text.parse::<u64>(), serde_json::from_str::<Value>(text)) {
                (Ok(number), _) => Value::from(number),
                (_, Ok(value)) if value.is_f64() || value.is_boolean() || value.is_array() => value,
                _ => Value::from(text),
            };
            (key, Some(parsed))
        }
        ConfigCommand::Reset { key } => (key, None),
    };
    settings::info(&key).map_err(Error::usage)?;
    let default = Settings::default().get(&key).unwrap_or(Value::Null);
    let dir = context.dir()?;
    let updated = store::settings::update(&dir, |settings| {
        settings.set(&key, value.as_ref().unwrap_or(&default))
    })?;
    if updated.created_dir {
        super::say(&format!("your collection lives in {}", dir.display()));
    }
    super::print_warnings_list(updated.warnings);
    if key == "fsrs_parameters" {
        store::recompute_memories(&dir)?;
    }
    let settings = updated.settings;
    let now = settings.get(&key).unwrap_or(Value::Null);
    let line = match value {
        Some(_) => format!("{key} is now {now}"),
        None => format!("{key} is back to its default, {now}"),
    };
    writeln!(out, "{line}").map_err(stdout_error)
}
