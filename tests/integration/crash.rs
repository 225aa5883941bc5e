//! Kill `recall review --plain` with SIGKILL at random moments (while it opens the
//! collection, while grades are typed, and while it ends the session); after every kill the
//! collection opens and every grade the program acknowledged (by showing the next card) is in
//! it exactly once. 20 rounds here; `cargo test --test crash -- --ignored` runs 200.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use recall::core::Kind;
use recall::store::{Store, atomic};

/// A small deterministic random source (xorshift), so a failing round can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn setup(dir: &Path) {
    let notes: String = (0..1500)
        .map(|n| format!("Question {n} about topic {}?\nAnswer {n}.\n", n * 7))
        .collect();
    std::fs::write(dir.join("notes.txt"), format!("Crash course\n{notes}")).unwrap();
    let status = Command::new(assert_cmd::cargo::cargo_bin("recall"))
        .arg("import")
        .arg(dir.join("notes.txt"))
        .env("RECALL_DIR", dir.join("data"))
        .env("RECALL_NOW", "2026-11-28")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(dir.join("data/config.json"), "{\"new_cards_per_day\": 10000}").unwrap();
}

/// Waits until `output` holds `count` occurrences of `marker`; panics after 20 s.
fn wait_for(output: &Mutex<String>, marker: &str, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if output.lock().unwrap().matches(marker).count() >= count {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    panic!("no {marker:?} number {count} within 20 s");
}

/// Whether a kill came during a snapshot write: its temporary file is left in `data`.
fn snapshot_write_cut_short(data: &Path) -> bool {
    std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .any(|e| atomic::is_leftover(&e.file_name().to_string_lossy(), &recall::store::paths::REPLACED))
}

/// One round: grade a few cards, kill the process at a random moment, check the collection.
/// True when the kill came while the session's snapshot was being written (its temporary
/// file is left behind).
fn round(dir: &Path, random: &mut Random) -> bool {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("recall"))
        .args(["review", "--plain"])
        .env("RECALL_DIR", dir.join("data"))
        .env("RECALL_NOW", "2026-11-28")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let output = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stdout.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                output
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        })
    };
    let mut stdin = child.stdin.take().unwrap();
    // Where the kill lands: while the collection opens, while grades are typed, or after
    // the input ends, while the session writes its snapshot and summary.
    let moment = random.below(3);
    let wait = if moment == 0 {
        Duration::from_micros(random.below(20_000))
    } else {
        let grades = 1 + random.below(6) as usize;
        for card in 1..=grades {
            wait_for(&output, "Q: ", card);
            stdin.write_all(b"\n").unwrap();
            wait_for(&output, "A: ", card);
            let _ = stdin.write_all(format!("{}\n", 4 + random.below(2)).as_bytes());
        }
        Duration::from_micros(random.below(if moment == 1 { 3_000 } else { 5_000 }))
    };
    if moment == 2 {
        drop(stdin);
    }
    std::thread::sleep(wait);
    let _ = child.kill();
    child.wait().unwrap();
    reader.join().unwrap();

    let mid_write = snapshot_write_cut_short(&dir.join("data"));

    // A grade is acknowledged once the next card (or the summary) was printed after it.
    let output = output.lock().unwrap().clone();
    let questions: Vec<&str> = output.lines().filter_map(|l| l.strip_prefix("Q: ")).collect();
    let acknowledged = &questions[..questions.len().saturating_sub(1)];

    let store = Store::open(&dir.join("data")).expect("the collection opens after a kill");
    let id_of: HashMap<&str, &str> = store
        .cards()
        .iter()
        .map(|c| (c.question.as_str(), c.id.as_str()))
        .collect();
    let mut reviews: HashMap<String, usize> = HashMap::new();
    store
        .for_each_record(|_, record| {
            if record.kind == Kind::Review {
                *reviews.entry(record.card).or_default() += 1;
            }
        })
        .unwrap();
    for question in acknowledged {
        let id = id_of[question];
        assert_eq!(
            reviews.get(id),
            Some(&1),
            "acknowledged grade of {question:?} not there exactly once"
        );
        assert!(!store.card(id).unwrap().state.is_new());
    }
    assert!(reviews.values().all(|&n| n == 1), "a grade was recorded twice");
    mid_write
}

/// Runs `count` rounds; returns how many kills came during a snapshot write.
fn rounds(count: usize, seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let mut random = Random(seed);
    let mid_write = (0..count).filter(|_| round(dir.path(), &mut random)).count();
    eprintln!("review kills: {mid_write} of {count} came during the snapshot write");
    mid_write
}

#[test]
fn killed_sessions_lose_no_acknowledged_grade() {
    rounds(20, 0x5eed);
}

#[test]
#[ignore = "long: 200 rounds"]
fn killed_sessions_lose_no_acknowledged_grade_200_rounds() {
    assert!(
        rounds(200, 0xc0ffee) > 0,
        "no kill landed during a snapshot write"
    );
}

/// Notes with `cards` questions.
fn notes(cards: usize) -> String {
    let questions: String = (0..cards)
        .map(|n| format!("Question {n} about topic {}?\nAnswer {n}.\n", n * 7))
        .collect();
    format!("Crash course\n{questions}")
}

/// Copies the directory `from`, with its subdirectories, to `to`.
fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Kills `recall import` at random moments (the snapshot write included): the collection
/// afterwards is the old one or the new one, whole.
fn import_rounds(count: usize, seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let (old_cards, new_cards) = (3000, 3600);
    std::fs::write(dir.path().join("notes.txt"), notes(old_cards)).unwrap();
    let import = |data: &Path| {
        Command::new(assert_cmd::cargo::cargo_bin("recall"))
            .arg("import")
            .arg(dir.path().join("notes.txt"))
            .env("RECALL_DIR", data)
            .env("RECALL_NOW", "2026-11-28")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let pristine = dir.path().join("pristine");
    assert!(import(&pristine).wait().unwrap().success());
    std::fs::write(dir.path().join("notes.txt"), notes(new_cards)).unwrap();
    // How long a whole import takes, to spread the kills over it.
    let data = dir.path().join("data");
    copy_dir(&pristine, &data);
    let start = Instant::now();
    assert!(import(&data).wait().unwrap().success());
    let full = start.elapsed().as_micros() as u64;
    let mut random = Random(seed);
    let mut outcomes = [0usize; 2];
    let mut mid_write = 0;
    for _ in 0..count {
        copy_dir(&pristine, &data);
        let mut child = import(&data);
        std::thread::sleep(Duration::from_micros(random.below(full + 1)));
        let _ = child.kill();
        child.wait().unwrap();
        mid_write += usize::from(snapshot_write_cut_short(&data));
        let store = Store::open(&data).expect("the collection opens after a kill");
        let cards = store.cards().len();
        assert!(cards == old_cards || cards == new_cards, "a mix: {cards} cards");
        outcomes[usize::from(cards == new_cards)] += 1;
        let snapshot = std::fs::read(data.join("collection.json")).unwrap();
        assert!(!snapshot.is_empty());
    }
    eprintln!(
        "import kills: {} left the old collection, {} the new one; {mid_write} came during the snapshot write",
        outcomes[0], outcomes[1]
    );
    mid_write
}

#[test]
fn killed_imports_leave_the_old_or_the_new_collection() {
    import_rounds(20, 0x1337);
}

#[test]
#[ignore = "long: 200 rounds"]
fn killed_imports_leave_the_old_or_the_new_collection_200_rounds() {
    assert!(
        import_rounds(200, 0xfeed) > 0,
        "no kill landed during a snapshot write"
    );
}

/// What a collection shows, for comparing two: every card, the statistics, the decks.
fn shown(data: &Path) -> (String, String, String) {
    let run = |args: &[&str]| {
        let output = Command::new(assert_cmd::cargo::cargo_bin("recall"))
            .args(args)
            .env("RECALL_DIR", data)
            .env("RECALL_NOW", "2026-11-29")
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let stats = run(&["stats", "--format", "json"]);
    let stats = stats
        .split_once(",\"today\"")
        .map_or(stats.clone(), |(_, rest)| rest.to_string());
    (
        run(&["cards", "--all", "--format", "json"]),
        stats,
        run(&["decks"]),
    )
}

/// Kills deck and card commands and imports at random moments: afterwards the collection that
/// opens from the caches is the one the logs alone give (the caches were written whole, or
/// are rebuilt).
fn command_rounds(count: usize, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        Command::new(assert_cmd::cargo::cargo_bin("recall"))
            .args(args)
            .env("RECALL_DIR", &data)
            .env("RECALL_NOW", "2026-11-29")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, notes(2000)).unwrap();
    assert!(run(&["import", file.to_str().unwrap()]).wait().unwrap().success());
    let mut random = Random(seed);
    let scratch = dir.path().join("scratch");
    for round in 0..count {
        let edited = notes(2000 - 50 * (round % 5));
        std::fs::write(&file, edited).unwrap();
        let commands: [&[&str]; 5] = [
            &["deck", "suspend", "crash"],
            &["deck", "unsuspend", "crash"],
            &["deck", "set", "crash", "new-per-day", "3"],
            &["import", file.to_str().unwrap()],
            &["deck", "set", "crash", "new-per-day", "default"],
        ];
        let mut child = run(commands[random.below(5) as usize]);
        std::thread::sleep(Duration::from_micros(random.below(60_000)));
        let _ = child.kill();
        child.wait().unwrap();
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(scratch.join("logs")).unwrap();
        for entry in std::fs::read_dir(data.join("logs")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), scratch.join("logs").join(entry.file_name())).unwrap();
        }
        assert_eq!(shown(&data), shown(&scratch), "round {round}");
    }
}

#[test]
fn killed_commands_leave_caches_that_agree_with_the_log() {
    command_rounds(12, 0xdec0);
}

#[test]
#[ignore = "long: 100 rounds"]
fn killed_commands_leave_caches_that_agree_with_the_log_100_rounds() {
    command_rounds(100, 0xfade);
}
