//! Helpers shared by the tests: collections in temporary directories, the real binary on
//! them, and small file systems that fill up.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use recall::import::{self, Request};
use recall::review::queue::Options;
use recall::review::session::Session;
use recall::store::Store;

/// A study day in the tests' world.
pub fn day(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}

/// A timestamp at noon UTC of `day`.
pub fn noon(day: &str) -> recall::clock::Timestamp {
    chrono::DateTime::parse_from_rfc3339(&format!("{day}T12:00:00+00:00")).expect("a test time")
}

/// A change made at noon UTC of study day `day`.
pub fn stamp(day: NaiveDate) -> recall::core::Stamp {
    recall::core::Stamp {
        at: noon(&day.to_string()),
        day,
    }
}

/// One card of a hand-made log: its id and its reviews as (study day, grade).
pub struct LoggedCard {
    pub id: String,
    pub reviews: Vec<(NaiveDate, u8)>,
}

/// A device log, as lines, holding the deck "Logged", `cards` added on the first day of any
/// review, and their reviews (the first grade of each day) in time order, with the SM-2 states
/// they give. It is what `recall review` would have written on those days.
pub fn review_log(cards: &[LoggedCard]) -> String {
    use recall::schedule::sm2::{self, CardState, Grade};
    use serde_json::json;
    let first_day = cards
        .iter()
        .flat_map(|card| card.reviews.iter().map(|(day, _)| *day))
        .min()
        .expect("a review");
    let mut records = vec![json!({
        "kind": "deck_added", "day": first_day, "deck": "Logged",
        "settings": {"format": "text", "source": "logged.txt", "follows_title": true},
    })];
    let mut reviews: Vec<(NaiveDate, usize, u8)> = Vec::new();
    for (n, card) in cards.iter().enumerate() {
        records.push(json!({
            "kind": "card_added", "day": first_day, "card": card.id, "deck": "Logged",
            "added": first_day,
            "text": {"section": "", "question": format!("{}?", card.id), "answer": "Its answer.",
                     "line": 2 * n + 2},
        }));
        reviews.extend(card.reviews.iter().map(|&(day, grade)| (day, n, grade)));
    }
    reviews.sort();
    let mut states = vec![CardState::default(); cards.len()];
    for (day, n, grade) in reviews {
        let before = states[n];
        states[n] = sm2::review(&before, Grade::new(grade).expect("a grade"), day);
        records.push(json!({
            "kind": "review", "day": day, "card": cards[n].id, "grade": grade,
            "before": before, "after": states[n], "ms": 4000,
        }));
    }
    let mut log = String::new();
    for (n, mut record) in records.into_iter().enumerate() {
        let day: NaiveDate = serde_json::from_value(record["day"].clone()).expect("a day");
        let at = day.and_hms_opt(12, 0, 0).expect("noon").and_utc() + chrono::Duration::seconds(n as i64);
        record["id"] = json!(n + 1);
        record["at"] = json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        log.push_str(&record.to_string());
        log.push('\n');
    }
    log
}

/// Writes `log` as the log of a device in the data directory `data`.
pub fn write_log(data: &Path, log: &str) {
    let logs = data.join("logs");
    std::fs::create_dir_all(&logs).expect("logs directory");
    std::fs::write(logs.join("logged.jsonl"), log).expect("log written");
}

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write_notes(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("notes written");
    path
}

/// A writable store in `dir/data` with `notes` imported and saved.
pub fn store_with(dir: &Path, notes: &[&Path], today: NaiveDate) -> Store {
    let mut store = Store::open_for_writing(&dir.join("data")).expect("store opens");
    for file in notes {
        let request = Request {
            file: file.to_path_buf(),
            ..Default::default()
        };
        import::import_file(&mut store, &request, stamp(today)).expect("import");
    }
    store.save().expect("saved");
    store
}

/// A session over `store` with default options.
pub fn session(store: Store, today: NaiveDate) -> Session {
    Session::start(store, &Options::default(), today).expect("session starts")
}

/// Plain-text notes with a few short cards.
pub const TEXT_NOTES: &str = "Computer Vision\nLecture 1 - Introduction\nHow many images uploaded to Instagram daily?\n1.3 billion.\nWhat are 3 factors behind the rise of computer vision?\nBetter data + storage.\nBetter processing power.\nLots of data.\nLecture 2 - Image Classification\nWhat is nearest neighbour classification?\nCompare a test image with every training image and take the closest label.\n";

/// Markdown notes exercising the renderer.
pub const MARKDOWN_NOTES: &str = "# Databases\n\n## Lecture 2 - SQL\n\n### What is a **join**?\n\nIt combines rows of *two* tables on a condition, e.g. `a.id = b.a_id`.\n\n- inner join\n- left join\n\n> Joins are the heart of SQL.\n\n```sql\nSELECT * FROM a JOIN b ON a.id = b.a_id;\n```\n";

/// A data directory in a temporary directory, and the real `recall` binary run on it with
/// the clock at `now`.
pub struct Recall {
    pub dir: tempfile::TempDir,
    pub now: String,
}

impl Recall {
    pub fn new(now: &str) -> Recall {
        Recall {
            dir: tempfile::tempdir().expect("a temporary directory"),
            now: now.to_string(),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `recall` on this data directory at time `now`.
    pub fn at(&self, now: &str) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::cargo_bin("recall").expect("the recall binary");
        command
            .env("RECALL_DIR", self.data())
            .env("RECALL_NOW", now)
            .env_remove("NO_COLOR");
        command
    }

    /// Runs `args` at this collection's time; it must succeed. Returns stdout.
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        self.ok_at(&self.now, args)
    }

    /// Runs `args` at time `now`; it must succeed. Returns stdout.
    pub fn ok_at<S: AsRef<std::ffi::OsStr>>(&self, now: &str, args: &[S]) -> String {
        let output = self.at(now).args(args).output().expect("recall runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Runs `args`; it must fail with exit code 1 and one line on stderr, which is returned.
    pub fn refused<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let output = self.at(&self.now).args(args).output().expect("recall runs");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    }

    /// A `--plain` review at `now` with `input` typed; returns stdout.
    pub fn review(&self, now: &str, input: &str) -> String {
        let output = self
            .at(now)
            .args(["review", "--plain"])
            .write_stdin(input)
            .output()
            .expect("recall runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// `recall cards --format json`.
    pub fn cards(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.ok(&["cards", "--all", "--format", "json"])).expect("a JSON list")
    }

    /// Every line of the review log.
    pub fn log(&self) -> Vec<serde_json::Value> {
        const REVIEW_KINDS: [&str; 7] = [
            "review",
            "redrill",
            "cram",
            "undo",
            "bury",
            "suspend",
            "unsuspend",
        ];
        all_records(&self.data())
            .into_iter()
            .filter(|record| REVIEW_KINDS.contains(&record["kind"].as_str().unwrap_or_default()))
            .collect()
    }
}

/// Every record of every device's log in the data directory `data`, log by log.
pub fn all_records(data: &Path) -> Vec<serde_json::Value> {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(data.join("logs"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    logs.sort();
    logs.iter()
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            text.lines()
                .map(|line| serde_json::from_str(line).expect("a JSON record"))
                .collect::<Vec<serde_json::Value>>()
        })
        .collect()
}

/// The one device log in the data directory `data`.
pub fn the_log(data: &Path) -> PathBuf {
    let logs: Vec<PathBuf> = std::fs::read_dir(data.join("logs"))
        .expect("a logs directory")
        .flatten()
        .map(|e| e.path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs[0].clone()
}

/// A tiny tmpfs mounted on `dir` for as long as the value lives; `None` where the machine
/// does not allow mounting (the test then says it was skipped).
pub fn tmpfs(dir: &Path, size: &str) -> Option<Unmount> {
    std::fs::create_dir_all(dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    mounted.then(|| Unmount(dir.to_path_buf()))
}

pub struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` until writing fails.
pub fn fill(dir: &Path) -> PathBuf {
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    for size in [4096, 1] {
        let block = vec![b'x'; size];
        while std::io::Write::write_all(&mut file, &block).is_ok() {}
    }
    filler
}
