//! Settings in `config.json`: reading, and changing them under the lock.

use std::path::Path;

use serde_json::Value;

use super::atomic;
use crate::core::Settings;
use crate::error::{Error, Result};

/// Reads `config.json`; a missing file means the defaults.
pub(crate) fn load(path: &Path) -> Result<Settings> {
    let bytes = crate::files::read(path, crate::files::Links::Refuse);
    let text = match bytes.and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(Error::io(path, e)),
    };
    Settings::from_json(&text).map_err(|(message, position)| Error::BadFile {
        path: path.to_path_buf(),
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
        message,
    })
}

/// What [`update`] did besides the change.
#[derive(Debug, Default)]
pub(crate) struct Updated {
    pub(crate) settings: Settings,
    /// It created the data directory (the user should hear where it is).
    pub(crate) created_dir: bool,
    /// What it had to do about a `config.json` that did not parse.
    pub(crate) warnings: Vec<String>,
}

/// Changes the settings of the data directory `dir` under its lock and writes them
/// atomically. A `config.json` that does not parse is repaired, so `recall config set` can fix
/// it: its valid settings are kept, the others go back to their defaults, and the old file is
/// kept as `config.json.broken`. A file that cannot be read at all is left alone.
pub(crate) fn update(
    dir: &Path,
    change: impl FnOnce(&mut Settings) -> Result<(), String>,
) -> Result<Updated> {
    let created_dir = !dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let paths = super::Paths::new(dir.to_path_buf());
    let _lock = super::lock::acquire(&paths.lock())?;
    let path = paths.config();
    let mut updated = Updated {
        created_dir,
        ..Updated::default()
    };
    updated.settings = match load(&path) {
        Ok(settings) => settings,
        Err(Error::BadFile { message, .. }) => {
            let broken = paths.dir.join(super::paths::BROKEN_CONFIG);
            // Written beside and renamed into place: a link planted under that name is
            // replaced, never followed.
            let old =
                crate::files::read(&path, crate::files::Links::Refuse).map_err(|e| Error::io(&path, e))?;
            atomic::replace(&broken, |out| out.write_all(&old))?;
            let (settings, dropped) = salvage(&String::from_utf8_lossy(&old));
            updated.warnings.push(format!(
                "{}: {message}; repaired ({}), the old file is {}",
                path.display(),
                if dropped.is_empty() {
                    "the defaults used".to_string()
                } else {
                    format!("dropped {}", dropped.join(", "))
                },
                broken.display()
            ));
            settings
        }
        Err(error) => return Err(error),
    };
    change(&mut updated.settings).map_err(Error::usage)?;
    save(&path, &updated.settings)?;
    Ok(updated)
}

/// The valid settings of a broken `config.json`, and the keys that had to go.
fn salvage(text: &str) -> (Settings, Vec<String>) {
    let mut settings = Settings::default();
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return (settings, vec!["everything (not valid JSON)".to_string()]);
    };
    let dropped = map
        .iter()
        .filter(|(key, value)| settings.set(key, value).is_err())
        .map(|(key, _)| key.clone())
        .collect();
    (settings, dropped)
}

/// Writes `config.json` atomically.
pub(crate) fn save(path: &Path, settings: &Settings) -> Result<()> {
    atomic::replace(path, |out| out.write_all(settings.to_json().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_means_defaults_and_a_bad_one_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        assert_eq!(load(&path).unwrap(), Settings::default());
        std::fs::write(&path, r#"{"reviews_per_day": -1}"#).unwrap();
        let message = load(&path).unwrap_err().to_string();
        assert!(
            message.ends_with("config.json: reviews_per_day must be a whole number from 0 to 100000, not -1"),
            "{message}"
        );
    }
}
