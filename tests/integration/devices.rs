//! One collection on several devices: logs exchanged as a synced folder would (copied whole or
//! half), the rules for changes made on two devices at once, and `recall sync` against a local
//! bare git repository (skipped where git is not installed).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::write_notes;

/// A device: its name and data directory; `recall` run as it.
struct Device {
    name: &'static str,
    home: tempfile::TempDir,
}

impl Device {
    fn new(name: &'static str) -> Device {
        Device {
            name,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    fn command(&self, now: &str) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::cargo_bin("recall").unwrap();
        command
            .env("RECALL_DIR", self.data())
            .env("RECALL_NOW", now)
            .env("RECALL_DEVICE", self.name)
            .env_remove("NO_COLOR");
        command
    }

    /// Runs `args` at `now`; it must succeed. Returns stdout.
    fn ok(&self, now: &str, args: &[&str]) -> String {
        let output = self.command(now).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{} {args:?}: {}",
            self.name,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn review(&self, now: &str, input: &str) -> String {
        let output = self
            .command(now)
            .args(["review", "--plain"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn import(&self, now: &str, name: &str, text: &str) {
        let file = write_notes(self.home.path(), name, text);
        self.ok(now, &["import", file.to_str().unwrap()]);
    }

    /// Every card, and the statistics but their time of making.
    fn shows(&self, now: &str) -> (Value, Value) {
        let cards: Value =
            serde_json::from_str(&self.ok(now, &["cards", "--all", "--format", "json"])).unwrap();
        let mut stats: Value = serde_json::from_str(&self.ok(now, &["stats", "--format", "json"])).unwrap();
        stats.as_object_mut().unwrap().remove("generated_at");
        (cards, stats)
    }

    fn log(&self) -> PathBuf {
        self.data().join("logs").join(format!("{}.jsonl", self.name))
    }

    /// Copies this device's log into `other`'s `logs/`, as a folder-sync tool would.
    fn send_to(&self, other: &Device) {
        let logs = other.data().join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        if self.log().exists() {
            std::fs::copy(self.log(), logs.join(format!("{}.jsonl", self.name))).unwrap();
        }
    }

    fn card(&self, now: &str, question: &str) -> Value {
        let (cards, _) = self.shows(now);
        cards
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["question"] == question && c["status"] != "retired")
            .cloned()
            .unwrap_or_else(|| panic!("{}: no card {question:?}", self.name))
    }
}

/// Two devices that both have every record of the other.
fn exchange(a: &Device, b: &Device) {
    a.send_to(b);
    b.send_to(a);
}

const MORNING: &str = "2026-12-01T09:00:00+00:00";
const EVENING: &str = "2026-12-01T20:00:00+00:00";
const NOTES: &str = "Operating Systems\nLecture 1 - Processes\nWhat is a process?\nA program running.\nWhat does fork return?\nZero in the child.\nWhat is a thread?\nA unit of scheduling.\n";

/// A laptop with the notes imported, and a desktop that took the laptop's log.
fn two_devices() -> (Device, Device) {
    let laptop = Device::new("laptop");
    laptop.import(MORNING, "os.txt", NOTES);
    let desktop = Device::new("desktop");
    laptop.send_to(&desktop);
    (laptop, desktop)
}

#[test]
fn logs_copied_both_ways_give_the_same_collection_and_a_half_copied_log_waits() {
    let (laptop, desktop) = two_devices();
    assert_eq!(desktop.shows(MORNING), laptop.shows(MORNING));
    laptop.review(MORNING, "\n5\n\n4\n");
    desktop.review(EVENING, "\n3\n");
    // Half of the laptop's log arrives first: its torn last line is left until it is whole.
    let text = std::fs::read(laptop.log()).unwrap();
    let cut = text.len() - 40;
    std::fs::write(desktop.data().join("logs/laptop.jsonl"), &text[..cut]).unwrap();
    let output = desktop.command(EVENING).arg("due").output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("incomplete last line"), "{stderr}");
    exchange(&laptop, &desktop);
    assert_eq!(desktop.shows(EVENING), laptop.shows(EVENING));
    let (_, stats) = laptop.shows(EVENING);
    assert_eq!(
        stats["today"]["reviews"], 3,
        "no grade is lost: {}",
        stats["today"]
    );
    let devices = laptop.ok(EVENING, &["devices"]);
    assert!(
        devices.contains("desktop ") && devices.contains("laptop *"),
        "{devices}"
    );
}

#[test]
fn the_same_card_graded_on_two_devices_the_same_day_moves_once() {
    let (laptop, desktop) = two_devices();
    laptop.review(MORNING, "\n5\n");
    desktop.review(EVENING, "\n1\n\n5\n");
    exchange(&laptop, &desktop);
    let card = laptop.card(EVENING, "What is a process?");
    // The morning's 5 moved it; the evening's 1 and 5 were same-day repeats.
    assert_eq!(
        (card["repetitions"].as_u64(), card["interval"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(desktop.card(EVENING, "What is a process?"), card);
    let (_, stats) = desktop.shows(EVENING);
    assert_eq!(
        stats["today"]["reviews"], 3,
        "every grade counts in the statistics"
    );
}

#[test]
fn an_undo_made_on_one_device_undoes_on_the_other() {
    let (laptop, desktop) = two_devices();
    laptop.review(MORNING, "\n5\n\nu\nq\n");
    laptop.send_to(&desktop);
    let card = desktop.card(MORNING, "What is a process?");
    assert_eq!(card["status"], "new", "{card}");
    let (_, stats) = desktop.shows(MORNING);
    assert_eq!(stats["today"]["reviews"], 0);
    assert_eq!(desktop.shows(MORNING), laptop.shows(MORNING));
}

#[test]
fn a_card_suspended_on_one_device_and_graded_on_the_other_stays_suspended_with_its_grade() {
    let (laptop, desktop) = two_devices();
    let id = laptop.card(MORNING, "What is a process?")["id"]
        .as_str()
        .unwrap()
        .to_string();
    laptop.ok(MORNING, &["card", "suspend", &id]);
    desktop.review(EVENING, "\n5\n");
    exchange(&laptop, &desktop);
    for device in [&laptop, &desktop] {
        let card = device.card(EVENING, "What is a process?");
        assert_eq!(
            (card["status"].as_str(), card["repetitions"].as_u64()),
            (Some("suspended"), Some(1))
        );
    }
}

#[test]
fn a_deck_renamed_on_one_device_while_the_other_imports_into_the_old_name_is_one_deck() {
    let (laptop, desktop) = two_devices();
    laptop.ok(MORNING, &["deck", "rename", "operating", "OS 2026"]);
    desktop.import(
        EVENING,
        "os.txt",
        &(NOTES.replace("A unit of scheduling.", "The unit of scheduling.")
            + "What is a pipe?\nA channel.\n"),
    );
    exchange(&laptop, &desktop);
    for device in [&laptop, &desktop] {
        let decks = device.ok(EVENING, &["decks"]);
        assert!(
            decks.contains("OS 2026") && !decks.contains("\nOperating Systems"),
            "{}: {decks}",
            device.name
        );
        let thread = device.card(EVENING, "What is a thread?");
        assert_eq!(
            (thread["deck"].as_str(), thread["answer"].as_str()),
            (Some("OS 2026"), Some("The unit of scheduling."))
        );
    }
    assert_eq!(laptop.shows(EVENING), desktop.shows(EVENING));
}

#[test]
fn the_same_notes_imported_on_two_devices_give_one_card_each_whatever_the_order() {
    for laptop_first in [true, false] {
        let laptop = Device::new("laptop");
        let desktop = Device::new("desktop");
        let (first, second) = if laptop_first {
            (&laptop, &desktop)
        } else {
            (&desktop, &laptop)
        };
        first.import(MORNING, "os.txt", NOTES);
        second.import(EVENING, "os.txt", NOTES);
        // Each grades a card of its own copy before they meet.
        first.review(MORNING, "\n5\n");
        second.review(EVENING, "\n4\n\n4\n");
        exchange(&laptop, &desktop);
        for device in [&laptop, &desktop] {
            let (cards, stats) = device.shows(EVENING);
            let cards = cards.as_array().unwrap();
            assert_eq!(cards.len(), 3, "{}: {cards:#?}", device.name);
            assert_eq!(stats["today"]["reviews"], 3);
        }
        assert_eq!(laptop.shows(EVENING), desktop.shows(EVENING));
        // The grades of both copies went to the one card.
        let process = laptop.card(EVENING, "What is a process?");
        assert_eq!(process["repetitions"], 1);
    }
}

#[test]
fn daily_limits_count_the_reviews_of_every_device() {
    let (laptop, desktop) = two_devices();
    laptop.ok(MORNING, &["config", "set", "new_cards_per_day", "2"]);
    desktop.ok(MORNING, &["config", "set", "new_cards_per_day", "2"]);
    laptop.review(MORNING, "\n5\n\n5\n");
    laptop.send_to(&desktop);
    let due: Value = serde_json::from_str(&desktop.ok(EVENING, &["due", "--format", "json"])).unwrap();
    assert_eq!(due["new"], 0, "{due}");
}

#[test]
fn a_clock_a_day_apart_and_a_device_offline_for_a_month_lose_nothing() {
    let (laptop, desktop) = two_devices();
    // The desktop's clock is a day ahead.
    desktop.review("2026-12-02T09:00:00+00:00", "\n5\n\n5\n\n5\n");
    exchange(&laptop, &desktop);
    laptop.review("2026-12-01T10:00:00+00:00", "\nq\n");
    // A month of the laptop alone, while the desktop sits in a drawer.
    for day in 3..30 {
        laptop.review(&format!("2026-12-{day:02}T09:00:00+00:00"), &"\n4\n".repeat(3));
    }
    desktop.review("2026-12-05T09:00:00+00:00", &"\n4\n".repeat(3));
    exchange(&laptop, &desktop);
    let now = "2026-12-30T09:00:00+00:00";
    assert_eq!(laptop.shows(now), desktop.shows(now));
    let grades = |device: &Device| -> usize {
        std::fs::read_dir(device.data().join("logs"))
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .flat_map(|text| text.lines().map(str::to_string).collect::<Vec<_>>())
            .filter(|line| line.contains("\"grade\":"))
            .count()
    };
    let (_, stats) = laptop.shows(now);
    let counted: u64 = stats["daily"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["reviews"].as_u64())
        .sum();
    assert_eq!(
        counted as usize,
        grades(&laptop),
        "every grade of both devices is in the statistics"
    );
}

/// Whether the `git` program can be run here.
fn has_git() -> bool {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A bare repository in `dir`, as a remote.
fn bare_remote(dir: &Path) -> PathBuf {
    let remote = dir.join("remote.git");
    let status = std::process::Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(&remote)
        .status()
        .unwrap();
    assert!(status.success());
    remote
}

#[test]
fn git_sync_from_scratch_on_two_devices() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let place = tempfile::tempdir().unwrap();
    let remote = bare_remote(place.path());
    let url = remote.to_str().unwrap();
    let laptop = Device::new("laptop");
    laptop.import(MORNING, "os.txt", NOTES);
    laptop.review(MORNING, "\n5\n");
    let said = laptop.ok(MORNING, &["sync", "--init", url]);
    assert_eq!(
        said,
        format!("sync: set up with {url}; received nothing, sent 1 review and 4 other changes\n")
    );
    let desktop = Device::new("desktop");
    assert_eq!(
        desktop.ok(EVENING, &["sync", "--init", url]),
        format!("sync: cloned the collection of {url}\n")
    );
    assert_eq!(desktop.shows(EVENING), laptop.shows(EVENING));
    desktop.review(EVENING, "\n4\n\n3\n");
    assert_eq!(
        desktop.ok(EVENING, &["sync"]),
        "sync: received nothing, sent 2 reviews\n"
    );
    assert_eq!(
        laptop.ok(EVENING, &["sync"]),
        "sync: received 2 reviews from desktop, sent nothing\n"
    );
    assert_eq!(
        laptop.ok(EVENING, &["sync"]),
        "sync: received nothing, sent nothing\n"
    );
    assert_eq!(desktop.shows(EVENING), laptop.shows(EVENING));
    // Only the logs and the lists of local files travel.
    let tracked = std::process::Command::new("git")
        .arg("-C")
        .arg(laptop.data())
        .args(["ls-files"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(tracked.stdout).unwrap(),
        ".gitignore\n.stignore\nlogs/desktop.jsonl\nlogs/laptop.jsonl\n"
    );
}

#[test]
fn two_devices_syncing_at_once_both_land() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let place = tempfile::tempdir().unwrap();
    let remote = bare_remote(place.path());
    let url = remote.to_str().unwrap().to_string();
    let laptop = Device::new("laptop");
    laptop.import(MORNING, "os.txt", NOTES);
    laptop.ok(MORNING, &["sync", "--init", &url]);
    let desktop = Device::new("desktop");
    desktop.ok(MORNING, &["sync", "--init", &url]);
    for round in 0..3 {
        laptop.review(MORNING, "\n5\n");
        desktop.review(EVENING, "\n4\n");
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| laptop.command(EVENING).arg("sync").output().unwrap());
            let b = scope.spawn(|| desktop.command(EVENING).arg("sync").output().unwrap());
            (a.join().unwrap(), b.join().unwrap())
        });
        for output in [&a, &b] {
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        laptop.ok(EVENING, &["sync"]);
        desktop.ok(EVENING, &["sync"]);
        assert_eq!(laptop.shows(EVENING), desktop.shows(EVENING), "round {round}");
    }
}

#[test]
fn a_sync_killed_at_any_moment_loses_nothing_and_the_next_one_completes() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let place = tempfile::tempdir().unwrap();
    let remote = bare_remote(place.path());
    let url = remote.to_str().unwrap().to_string();
    let laptop = Device::new("laptop");
    laptop.import(MORNING, "os.txt", NOTES);
    laptop.ok(MORNING, &["sync", "--init", &url]);
    let desktop = Device::new("desktop");
    desktop.ok(MORNING, &["sync", "--init", &url]);
    for delay in [0u64, 2, 5, 10, 20, 40, 80] {
        laptop.review(MORNING, "\n5\n");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("recall"))
            .arg("sync")
            .env("RECALL_DIR", laptop.data())
            .env("RECALL_NOW", EVENING)
            .env("RECALL_DEVICE", "laptop")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        laptop.ok(EVENING, &["sync"]);
        desktop.ok(EVENING, &["sync"]);
        assert_eq!(
            laptop.shows(EVENING),
            desktop.shows(EVENING),
            "killed after {delay} ms"
        );
    }
}

#[test]
fn no_git_or_no_remote_is_a_clear_error_and_changes_nothing() {
    let laptop = Device::new("laptop");
    laptop.import(MORNING, "os.txt", NOTES);
    let log = std::fs::read(laptop.log()).unwrap();
    let refused = |command: &mut assert_cmd::Command| -> String {
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    };
    let message = refused(laptop.command(MORNING).arg("sync"));
    assert!(
        message.contains("is not set up to sync: `recall sync --init URL`"),
        "{message}"
    );
    let message = refused(
        laptop
            .command(MORNING)
            .env("PATH", "/nonexistent")
            .args(["sync", "--init", "/x"]),
    );
    assert!(message.contains("sync needs the git program"), "{message}");
    if has_git() {
        let missing = laptop.home.path().join("no-such-remote.git");
        let message = refused(
            laptop
                .command(MORNING)
                .args(["sync", "--init", missing.to_str().unwrap()]),
        );
        assert!(
            message.starts_with("recall: sync: git fetch failed: "),
            "{message}"
        );
    }
    assert_eq!(std::fs::read(laptop.log()).unwrap(), log);
    laptop.review(MORNING, "\n5\n");
}
