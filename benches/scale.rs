//! The one benchmark command: `cargo bench --bench scale`. For collections of 1,000, 10,000
//! and 100,000 cards with a year of reviews (about ten per card) it measures parsing, import,
//! opening, the queue, grading, the first frame (in process and in a pseudo-terminal) and
//! keypresses, and peak memory, and prints a Markdown table. Each size runs in child
//! processes of its own, so peak memory is per size.
//! `RECALL_BENCH_SIZES=1000,10000` picks other sizes.

mod common;
#[path = "../tests/common/pty.rs"]
mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::core::{Kind, Record, Stamp};
use recall::notes::{markdown, text};
use recall::review::queue::Options;
use recall::review::session::Session;
use recall::review::today;
use recall::schedule::sm2::{self, CardState, Grade};
use recall::store::Store;
use recall::tui::app::{Action, App};
use recall::tui::run_loop;
use recall::tui::theme::Theme;
use serde_json::{Value, json};

/// The same allocator as the `recall` binary, so the numbers are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The device every `recall` of the benchmark runs as, so they all write one log.
const DEVICE: &str = "bench";

fn main() {
    // SAFETY: set before any thread starts; every process the benchmark starts inherits it.
    unsafe { std::env::set_var("RECALL_DEVICE", DEVICE) };
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--phase") {
        let cards: usize = args[at + 2].parse().expect("a card count");
        let dir = PathBuf::from(&args[at + 3]);
        let result = match args[at + 1].as_str() {
            "build" => build(cards, &dir),
            _ => measure(&dir, cards),
        };
        println!("{result}");
        return;
    }
    let sizes: Vec<usize> = std::env::var("RECALL_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut rows = Vec::new();
    for cards in sizes {
        let dir = tempfile::tempdir().expect("a temporary directory");
        eprintln!("scale: {cards} cards: importing and writing a year of reviews...");
        let built = phase("build", cards, dir.path());
        eprintln!("scale: {cards} cards: measuring...");
        let measured = phase("measure", cards, dir.path());
        rows.push((cards, built, measured));
    }
    print_table(&rows);
}

/// Runs this benchmark again as a child for one phase and reads its JSON line.
fn phase(name: &str, cards: usize, dir: &Path) -> Value {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let output = Command::new(exe)
        .args(["--phase", name, &cards.to_string()])
        .arg(dir)
        .output()
        .expect("the phase runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(line.lines().last().unwrap_or_default()).expect("a JSON line")
}

fn today() -> NaiveDate {
    common::today()
}

/// Parse speed, the three imports, and a year of reviews written to the log.
fn build(cards: usize, dir: &Path) -> Value {
    let notes = common::text_notes_with_cards(cards);
    let file = dir.join("notes.txt");
    std::fs::write(&file, &notes).expect("notes written");
    let data = dir.join("data");
    let mut import_peak: f64 = 0.0;
    let mut import = || {
        let (elapsed, counts, peak_mb) = import_notes(&file, &data);
        import_peak = import_peak.max(peak_mb);
        (elapsed, counts)
    };
    // Five first imports, each into an empty directory (one run is at the mercy of how
    // quickly the machine hands out fresh memory); the last collection stays.
    let mut firsts = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(&data);
        let (elapsed, counts) = import();
        assert_eq!(counts["new"], cards);
        firsts.push(elapsed);
    }
    let first = percentile(&mut firsts, 50);
    // The parsers in this process, after the imports: what they allocate and free is not
    // handed to the imports' processes.
    let md = common::markdown_notes(notes.len());
    let text_time = median(5, || {
        let start = Instant::now();
        std::hint::black_box(text::parse(&notes, "bench", &recall::notes::Options::default()));
        start.elapsed()
    });
    let markdown_time = median(5, || {
        let start = Instant::now();
        std::hint::black_box(markdown::parse(&md, "bench", &recall::notes::Options::default()));
        start.elapsed()
    });
    // Every 100th question gets a word added: an edit the import must recognise.
    let mut questions = 0;
    let edited: String = notes
        .lines()
        .map(|line| {
            if !line.ends_with(")?") {
                return format!("{line}\n");
            }
            questions += 1;
            if questions % 100 == 0 {
                format!("{}, exactly?\n", &line[..line.len() - 1])
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(&file, edited).expect("notes written");
    let (one_percent, counts) = import();
    let edited_renamed = counts["renamed"].clone();
    let reviews = write_a_year_of_reviews(&data);
    json!({
        "parse_text_mb_s": notes.len() as f64 / 1e6 / text_time.as_secs_f64(),
        "parse_markdown_mb_s": md.len() as f64 / 1e6 / markdown_time.as_secs_f64(),
        "import_first_ms": ms(first),
        "import_edited_ms": ms(one_percent),
        "edited": cards / 100,
        "edited_renamed": edited_renamed,
        "import_peak_mb": import_peak,
        "reviews": reviews,
    })
}

/// Another device's 10,000 grades, made after everything in the collection, arrive in
/// `logs/`: the time to open the collection with them folded in and its caches written.
fn fold_another_device(data: &Path) -> Duration {
    let store = Store::open(data).expect("open");
    let ids: Vec<String> = store.cards().iter().map(|c| c.id.clone()).collect();
    drop(store);
    let mut log = String::new();
    let day = today() + Days::new(1);
    for n in 0..10_000u64 {
        let at = DateTime::parse_from_rfc3339(&format!(
            "{day}T{:02}:{:02}:00+00:00",
            8 + n / 3600 % 12,
            n / 60 % 60
        ))
        .expect("time");
        let mut record = Record::new(
            Kind::Review,
            &ids[(n as usize * 7919) % ids.len()],
            Stamp { at, day },
        );
        record.id = n + 1;
        record.grade = Grade::new(4);
        record.before = Some(CardState::default());
        record.after = Some(CardState::default());
        record.ms = Some(3000);
        log.push_str(&serde_json::to_string(&record).expect("a record"));
        log.push('\n');
    }
    std::fs::write(data.join("logs/phone.jsonl"), log).expect("the phone's log");
    let start = Instant::now();
    let mut store = Store::open_for_writing(data).expect("open");
    store.save().expect("the caches");
    let elapsed = start.elapsed();
    // The time is of folding the records in, not of skipping them: every card they grade (one
    // card in 7919 steps, so as many cards as records, or every card) was graded that day.
    let graded = store
        .cards()
        .iter()
        .filter(|card| card.state.last_review == Some(day))
        .count();
    assert_eq!(
        graded,
        ids.len().min(10_000),
        "the phone's records were not all folded in"
    );
    elapsed
}

/// `recall sync` against a bare repository in `dir` when neither side has anything new;
/// `None` where git is not installed.
fn sync_with_nothing_new(dir: &Path, data: &Path) -> Option<Duration> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let remote = dir.join("remote.git");
    if !git(&["init", "--quiet", "--bare", &remote.to_string_lossy()]) {
        return None;
    }
    let recall = |args: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(args)
            .env("RECALL_DIR", data)
            .env("RECALL_NOW", today().to_string())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("recall runs");
        assert!(status.success(), "recall {args:?}");
    };
    recall(&["sync", "--init", &remote.to_string_lossy()]);
    Some(median(3, || {
        let start = Instant::now();
        recall(&["sync"]);
        start.elapsed()
    }))
}

/// Waits until the files written so far are on disk: the setup writes hundreds of megabytes
/// (a year of reviews), and a measure taken while the kernel writes them out pays for it.
fn settle() {
    let _ = Command::new("sync").status();
}

/// `recall import` of `file` as a whole process: its time, the report's counts, and its peak
/// memory (MB).
fn import_notes(file: &Path, data: &Path) -> (Duration, Value, f64) {
    settle();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recall"))
        .args(["import", "--format", "json"])
        .arg(file)
        .env("RECALL_DIR", data)
        .env("RECALL_NOW", (today() - Days::new(400)).to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("recall import runs");
    let mut report = String::new();
    let mut stdout = child.stdout.take().expect("piped");
    std::io::Read::read_to_string(&mut stdout, &mut report).expect("report");
    let (success, peak_kb) = wait_with_peak(child);
    let elapsed = start.elapsed();
    assert!(success, "recall import");
    let report: ImportReport = serde_json::from_str(&report).expect("a JSON report");
    let counts = report.imports.into_iter().next().map(|file| file.counts);
    (elapsed, counts.unwrap_or_default(), peak_kb as f64 / 1024.0)
}

/// What the benchmark reads of an import's JSON report: its counts. The lists of cards are
/// skipped unread: made into JSON values (a first import's list of 100,000 new cards) they
/// were some 200 MB, allocated and freed between two measured imports, and the next import
/// paid for it (see BENCHMARKS.md).
#[derive(serde::Deserialize)]
struct ImportReport {
    imports: Vec<FileReport>,
}

#[derive(serde::Deserialize)]
struct FileReport {
    counts: Value,
}

/// Every file under `dir` but the lock, with its size and time of last change.
fn files_in(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a directory") {
            let path = entry.expect("an entry").path();
            let meta = std::fs::metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else if !path.ends_with("lock") {
                files.push((path, meta.len(), meta.modified().expect("a time of change")));
            }
        }
    }
    files.sort();
    files
}

/// Reviews every card through the past year as a diligent student would (grades mostly 4 and
/// 5, some lapses, each failure re-drilled the same day), written straight to the log; the
/// next open replays them and the snapshot is saved.
fn write_a_year_of_reviews(data: &Path) -> usize {
    let store = Store::open(data).expect("store");
    let log = data.join("logs").join(format!("{DEVICE}.jsonl"));
    // The reviews follow the import's records in the device's log.
    let mut id = std::fs::read_to_string(&log)
        .expect("the log")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|record| record["id"].as_u64())
        .max()
        .unwrap_or(0);
    let reviews_before = id;
    let file = std::fs::OpenOptions::new().append(true).open(&log).expect("log");
    let mut out = std::io::BufWriter::new(file);
    let mut random = 0x9E37_79B9_7F4A_7C15u64;
    let year_ago = today() - Days::new(365);
    for (n, card) in store.cards().iter().enumerate() {
        let mut state = CardState::default();
        let mut day = year_ago + Days::new((n % 60) as u64);
        while day < today() {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let grade = match random % 100 {
                0..4 => 1,
                4..10 => 2,
                10..25 => 3,
                25..70 => 4,
                _ => 5,
            };
            let grade = Grade::new(grade).expect("a grade");
            let after = sm2::review(&state, grade, day);
            let at = DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+00:00")).expect("time");
            let mut record = Record::new(Kind::Review, &card.id, Stamp { at, day });
            record.grade = Some(grade);
            record.before = Some(state);
            record.after = Some(after);
            record.ms = Some(4000 + random % 9000);
            for kind in [Kind::Review, Kind::Redrill] {
                if kind == Kind::Redrill && grade.value() >= 4 {
                    break;
                }
                id += 1;
                record.id = id;
                record.kind = kind;
                if kind == Kind::Redrill {
                    record.grade = Grade::new(4);
                    record.before = Some(after);
                }
                serde_json::to_writer(&mut out, &record).expect("record");
                out.write_all(b"\n").expect("newline");
            }
            state = after;
            // Students are sometimes late: up to two days.
            day = state.due.unwrap_or(today()) + Days::new(random % 3);
        }
    }
    // On disk, as a year's log would be: writing it back must not slow the measures.
    let file = out.into_inner().expect("log flushed");
    file.sync_all().expect("log on disk");
    drop(file);
    let mut store = Store::open_for_writing(data).expect("store");
    store.save().expect("save");
    (id - reviews_before) as usize
}

/// Everything that happens after the collection exists.
fn measure(dir: &Path, cards: usize) -> Value {
    let data = dir.join("data");
    // The same notes again, into the collection with a year of reviews: nothing may be written.
    let before = files_in(&data);
    let unchanged = median(5, || {
        let (elapsed, counts, _) = import_notes(&dir.join("notes.txt"), &data);
        assert_eq!(counts["unchanged"], cards);
        elapsed
    });
    assert_eq!(
        files_in(&data),
        before,
        "an unchanged import wrote to the data directory"
    );
    // Whole `recall` processes: wall time, and the peak memory the kernel saw. They come before
    // anything large is loaded here: a child started from this process inherits its peak
    // memory until it execs, and the kernel counts that as the child's.
    let peaks = std::cell::RefCell::new(std::collections::HashMap::<String, f64>::new());
    let command = |args: &[&str]| {
        let start = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(args)
            .env("RECALL_DIR", &data)
            .env("RECALL_NOW", today().to_string())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("recall runs");
        let (success, peak_kb) = wait_with_peak(child);
        let elapsed = start.elapsed();
        assert!(success, "recall {args:?}");
        let mut peaks = peaks.borrow_mut();
        let peak = peaks.entry(args[0].to_string()).or_default();
        *peak = peak.max(peak_kb as f64 / 1024.0);
        elapsed
    };
    let due = median(5, || command(&["due"]));
    let stats = median(5, || command(&["stats", "--format", "json"]));
    let export_file = dir.join("export.json");
    let export_path = export_file.to_string_lossy().into_owned();
    let export = median(3, || command(&["export", "-o", &export_path]));
    let export_stdout = median(3, || command(&["export"]));
    let peaks = peaks.into_inner();
    let terminal_frame = median(3, || first_frame_in_a_terminal(&data));
    let open = median(5, || {
        let start = Instant::now();
        std::hint::black_box(Store::open(&data).expect("open"));
        start.elapsed()
    });
    let store = Store::open(&data).expect("open");
    let queue_time = median(5, || {
        let start = Instant::now();
        std::hint::black_box(today::queue(&store, today(), &Options::default()).expect("queue"));
        start.elapsed()
    });
    drop(store);
    let export_mb = std::fs::metadata(&export_file).map_or(0, |m| m.len()) as f64 / 1e6;

    // The review: from nothing to the first frame, then keypresses (reveal, grade) to frames.
    // The export above wrote 474 MB at 100,000 cards: each grade's flush to disk would wait
    // behind it.
    settle();
    let start = Instant::now();
    let store = Store::open_for_writing(&data).expect("open");
    let session = Session::start(store, &Options::default(), today()).expect("session");
    let now = DateTime::parse_from_rfc3339(&format!("{}T12:00:00+00:00", today())).expect("time");
    let mut app = App::new(session, now);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let theme = Theme::with_color(true);
    run_loop(&mut terminal, &mut app, &theme, || Ok(None), || Ok(now)).expect("first frame");
    let first_frame = start.elapsed();
    let mut key_times = Vec::new();
    let mut grade_times = Vec::new();
    for n in 0..200 {
        if app.session().current().is_none() {
            break;
        }
        let start = Instant::now();
        app.update(Action::Reveal, now).expect("reveal");
        terminal
            .draw(|frame| recall::tui::view::draw(frame, &mut app, &theme))
            .expect("draw");
        key_times.push(start.elapsed());
        let start = Instant::now();
        app.update(Action::Grade(Grade::ALL[3 + n % 3]), now)
            .expect("grade");
        grade_times.push(start.elapsed());
        terminal
            .draw(|frame| recall::tui::view::draw(frame, &mut app, &theme))
            .expect("draw");
        key_times.push(start.elapsed());
    }
    app.update(Action::Quit, now)
        .expect("the session ends and writes the caches");
    drop(app);
    // Measured here: the rebuild and the FSRS measures below hold more.
    let review_peak = peak_memory_mb();
    // The end of a session: one more grade, and the caches written for it.
    settle();
    let save = median(3, || {
        let store = Store::open_for_writing(&data).expect("open");
        let mut session = Session::start(store, &Options::default(), today()).expect("session");
        session.grade(Grade::ALL[4], now, 1000).expect("a grade");
        let start = Instant::now();
        session.finish().expect("the caches are written");
        start.elapsed()
    });
    // The collection from its logs alone: no caches at all.
    let scratch = dir.join("rebuilt");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("logs")).expect("a directory");
    let mut records = 0;
    for entry in std::fs::read_dir(data.join("logs")).expect("the logs").flatten() {
        let to = scratch.join("logs").join(entry.file_name());
        std::fs::copy(entry.path(), &to).expect("a log copied");
        records += std::fs::read(&to)
            .expect("a log")
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
    }
    let start = Instant::now();
    let rebuilt = Store::open(&scratch).expect("the logs alone open");
    let rebuild = start.elapsed();
    assert_eq!(
        rebuilt.cards().len(),
        Store::open(&data).expect("open").cards().len()
    );
    let fold = fold_another_device(&data);
    let sync_idle = sync_with_nothing_new(dir, &data);
    let fsrs = fsrs_measures(&data);
    let mut measured = json!({
        "peak_mb": review_peak,
        "fold_ms": ms(fold),
        "sync_idle_ms": sync_idle.map(ms),
        "open_ms": ms(open),
        "queue_ms": ms(queue_time),
        "due_command_ms": ms(due),
        "stats_command_ms": ms(stats),
        "export_command_ms": ms(export),
        "export_stdout_ms": ms(export_stdout),
        "export_mb": export_mb,
        "due_peak_mb": peaks.get("due"),
        "stats_peak_mb": peaks.get("stats"),
        "export_peak_mb": peaks.get("export"),
        "first_frame_ms": ms(first_frame),
        "terminal_frame_ms": ms(terminal_frame),
        "key_median_ms": ms(percentile(&mut key_times, 50)),
        "key_p99_ms": ms(percentile(&mut key_times, 99)),
        "grade_median_ms": ms(percentile(&mut grade_times, 50)),
        "grade_p99_ms": ms(percentile(&mut grade_times, 99)),
        "save_ms": ms(save),
        "rebuild_ms": ms(rebuild),
        "records": records,
        "import_unchanged_ms": ms(unchanged),
    });
    for (key, value) in fsrs {
        measured[key] = value;
    }
    measured
}

/// FSRS at this size: opening with it on, every card's memory computed again from the logs
/// (as after new parameters), and `recall optimize` on the year of reviews. The settings are
/// put back afterwards.
fn fsrs_measures(data: &Path) -> serde_json::Map<String, Value> {
    let config = data.join("config.json");
    let original = std::fs::read(&config).expect("the settings");
    let set = |scheduler: &str, first_parameter: Option<f64>| {
        let mut settings: Value = serde_json::from_slice(&original).expect("settings");
        settings["scheduler"] = json!(scheduler);
        if let Some(w0) = first_parameter {
            let mut parameters = recall_default_parameters();
            parameters[0] = w0;
            settings["fsrs_parameters"] = json!(parameters);
        }
        std::fs::write(&config, settings.to_string()).expect("settings written");
    };
    let run = |args: &[&str]| {
        let start = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(args)
            .env("RECALL_DIR", data)
            .env("RECALL_NOW", today().to_string())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("recall runs");
        let (success, _, cpu) = wait_with_usage(child);
        assert!(success, "recall {args:?}");
        (start.elapsed(), cpu)
    };
    let open_with = |scheduler: &str| {
        set(scheduler, None);
        let open = median(7, || {
            let start = Instant::now();
            let store = Store::open(data).expect("open");
            std::hint::black_box(today::queue(&store, today(), &Options::default()).expect("queue"));
            start.elapsed()
        });
        (open, median(5, || run(&["due"]).0))
    };
    let (open_sm2, due_sm2) = open_with("sm2");
    let (open_fsrs, due_fsrs) = open_with("fsrs");
    // Other parameters each time: the open finds the cached memories stale and recomputes
    // them all (a read-only open does not write them back).
    let mut w0 = 0.2;
    let memories = median(5, || {
        w0 += 0.01;
        set("fsrs", Some(w0));
        let start = Instant::now();
        std::hint::black_box(Store::open(data).expect("open"));
        start.elapsed()
    });
    std::fs::write(&config, &original).expect("settings put back");
    // `recall optimize`: wall time, and CPU time (both cores at work show as more CPU time
    // than wall time).
    let (optimize, cpu) = run(&["optimize"]);
    let mut measures = serde_json::Map::new();
    measures.insert("open_sm2_ms".into(), json!(ms(open_sm2)));
    measures.insert("open_fsrs_ms".into(), json!(ms(open_fsrs)));
    measures.insert("due_sm2_ms".into(), json!(ms(due_sm2)));
    measures.insert("due_fsrs_ms".into(), json!(ms(due_fsrs)));
    measures.insert("fsrs_memories_ms".into(), json!(ms(memories)));
    measures.insert("optimize_ms".into(), json!(ms(optimize)));
    measures.insert(
        "optimize_cpu_percent".into(),
        json!((cpu.as_secs_f64() / optimize.as_secs_f64() * 100.0).round()),
    );
    measures
}

/// FSRS-6's default parameters, as `recall config` lists them.
fn recall_default_parameters() -> Vec<f64> {
    vec![
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614,
        0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]
}

/// `recall review` in a 100x30 pseudo-terminal, from starting the process until its first
/// frame is written (up to the footer's last word, "quit"; blanks are skipped with cursor
/// moves, so words are searched one at a time); the process is then killed, which the store
/// is built to survive, before any grade.
fn first_frame_in_a_terminal(data: &Path) -> Duration {
    use std::io::Read;

    let (master, slave) = pty::open(100, 30);
    let start = Instant::now();
    let mut command = Command::new(env!("CARGO_BIN_EXE_recall"));
    command
        .arg("review")
        .env("RECALL_DIR", data)
        .env("RECALL_NOW", today().to_string());
    pty::attach(&mut command, &slave);
    let mut child = command.spawn().expect("recall review runs");
    drop(command);
    drop(slave);
    let mut screen = std::fs::File::from(master);
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1 << 16];
    while !seen.windows(4).any(|w| w == b"quit") {
        let read = screen
            .read(&mut buffer)
            .expect("the review draws its first frame");
        assert!(read > 0, "the review ended before drawing");
        seen.extend_from_slice(&buffer[..read]);
    }
    let elapsed = start.elapsed();
    child.kill().expect("kill");
    child.wait().expect("wait");
    elapsed
}

fn median(runs: usize, mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| run()).collect();
    percentile(&mut times, 50)
}

fn percentile(times: &mut [Duration], percent: usize) -> Duration {
    times.sort();
    times
        .get((times.len().saturating_sub(1)) * percent / 100)
        .copied()
        .unwrap_or_default()
}

fn ms(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Waits for `child`; returns whether it succeeded and its peak resident memory in KiB.
fn wait_with_peak(child: std::process::Child) -> (bool, i64) {
    let (success, peak, _) = wait_with_usage(child);
    (success, peak)
}

/// Waits for `child`; returns whether it succeeded, its peak resident memory in KiB and the
/// CPU time it used (user and system, on every core).
fn wait_with_usage(child: std::process::Child) -> (bool, i64, Duration) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let success = waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        success,
        usage.ru_maxrss,
        time(usage.ru_utime) + time(usage.ru_stime),
    )
}

/// The peak resident memory of this process, from /proc.
fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    (kb / 1024.0 * 10.0).round() / 10.0
}

fn print_table(rows: &[(usize, Value, Value)]) {
    // (label, key, phase): phase 0 is the build child, 1 the measure child.
    let columns: &[(&str, &str, usize)] = &[
        ("reviews in log", "reviews", 0),
        ("parse plain text (MB/s)", "parse_text_mb_s", 0),
        ("parse Markdown (MB/s)", "parse_markdown_mb_s", 0),
        ("first import (ms)", "import_first_ms", 0),
        (
            "re-import unchanged, with a year of reviews; writes nothing (ms)",
            "import_unchanged_ms",
            1,
        ),
        ("re-import, 1% edited (ms)", "import_edited_ms", 0),
        ("  questions edited", "edited", 0),
        ("  of which kept their progress", "edited_renamed", 0),
        ("peak memory, `recall import` (MB)", "import_peak_mb", 0),
        ("open collection (ms)", "open_ms", 1),
        ("build today's queue (ms)", "queue_ms", 1),
        ("`recall due`, whole process (ms)", "due_command_ms", 1),
        ("`recall stats --format json` (ms)", "stats_command_ms", 1),
        ("`recall export -o FILE` (ms)", "export_command_ms", 1),
        ("`recall export > /dev/null` (ms)", "export_stdout_ms", 1),
        ("  export size (MB)", "export_mb", 1),
        ("peak memory, `recall due` (MB)", "due_peak_mb", 1),
        ("peak memory, `recall stats` (MB)", "stats_peak_mb", 1),
        ("peak memory, `recall export` (MB)", "export_peak_mb", 1),
        ("review: first frame, in process (ms)", "first_frame_ms", 1),
        (
            "review: first frame from process start, in a terminal (ms)",
            "terminal_frame_ms",
            1,
        ),
        ("key to next frame, median (ms)", "key_median_ms", 1),
        ("key to next frame, p99 (ms)", "key_p99_ms", 1),
        ("grade to durable, median (ms)", "grade_median_ms", 1),
        ("grade to durable, p99 (ms)", "grade_p99_ms", 1),
        ("end of a session: caches written (ms)", "save_ms", 1),
        (
            "fold in 10,000 records of another device, caches written (ms)",
            "fold_ms",
            1,
        ),
        (
            "`recall sync` with nothing new, local remote (ms)",
            "sync_idle_ms",
            1,
        ),
        ("records in the logs", "records", 1),
        (
            "rebuild from the logs alone, caches written (ms)",
            "rebuild_ms",
            1,
        ),
        ("FSRS: open and build the queue, SM-2 on (ms)", "open_sm2_ms", 1),
        ("FSRS: open and build the queue, FSRS on (ms)", "open_fsrs_ms", 1),
        ("FSRS: `recall due`, SM-2 on (ms)", "due_sm2_ms", 1),
        ("FSRS: `recall due`, FSRS on (ms)", "due_fsrs_ms", 1),
        (
            "FSRS: every card's memory from the logs, new parameters (ms)",
            "fsrs_memories_ms",
            1,
        ),
        ("`recall optimize` on the year of reviews (ms)", "optimize_ms", 1),
        ("  its CPU time / wall time (%)", "optimize_cpu_percent", 1),
        ("peak memory, benchmark's review (MB)", "peak_mb", 1),
    ];
    print!("| measure |");
    for (cards, _, _) in rows {
        print!(" {cards} cards |");
    }
    println!();
    print!("|---|");
    for _ in rows {
        print!("---:|");
    }
    println!();
    for (label, key, phase) in columns {
        print!("| {label} |");
        for (_, built, measured) in rows {
            let value = if *phase == 0 { &built[key] } else { &measured[key] };
            match value.as_f64() {
                Some(v) if v >= 100.0 || v.fract() == 0.0 => print!(" {v:.0} |"),
                Some(v) => print!(" {v:.1} |"),
                None => print!(" - |"),
            }
        }
        println!();
    }
}
