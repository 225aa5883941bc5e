//! The review screen driven for real on ratatui's TestBackend: the real event loop, the real
//! session and store in a temporary directory, and what ends up on screen.

use crate::common::{MARKDOWN_NOTES, TEXT_NOTES, day, noon, session, store_with, write_notes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use recall::core::{Kind, Status};
use recall::schedule::sm2::Grade;
use recall::store::Store;
use recall::tui::app::{Action, App, Effect};
use recall::tui::run_loop;
use recall::tui::theme::Theme;

const TODAY: &str = "2026-11-28";

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn char_key(c: char) -> Event {
    key(KeyCode::Char(c))
}

/// An app over a fresh collection made of `notes` (file name decides the flavour).
fn app_with(dir: &std::path::Path, name: &str, notes: &str) -> App {
    let file = write_notes(dir, name, notes);
    let store = store_with(dir, &[&file], day(TODAY));
    App::new(session(store, day(TODAY)), noon(TODAY))
}

/// Runs the real loop on a `width` x `height` TestBackend with `events`, returning the screen.
fn drive(app: &mut App, width: u16, height: u16, events: Vec<Event>) -> (TestBackend, Option<Effect>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut events = events.into_iter();
    // Each event comes 15 seconds after the one before.
    let mut now = noon(TODAY);
    let effect = run_loop(
        &mut terminal,
        app,
        &Theme::with_color(false),
        || Ok(events.next()),
        || {
            now += chrono::Duration::seconds(15);
            Ok(now)
        },
    )
    .unwrap();
    (terminal.backend().clone(), effect)
}

/// Every one of `parts` is on `screen`.
#[track_caller]
fn assert_shows(screen: &TestBackend, parts: &[&str]) {
    let text = screen.to_string();
    for part in parts {
        assert!(text.contains(part), "{part:?} is not on the screen: {text}");
    }
}

fn grade(value: u8) -> Action {
    Action::Grade(Grade::new(value).unwrap())
}

#[test]
fn the_question_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    insta::assert_snapshot!(screen);
}

#[test]
fn the_revealed_answer_of_a_plain_text_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key('4'), char_key(' ')]);
    insta::assert_snapshot!(screen);
}

#[test]
fn the_revealed_answer_of_a_markdown_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "db.md", MARKDOWN_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![key(KeyCode::Enter)]);
    insta::assert_snapshot!(screen);
    // Styles do not show in the snapshot: check the bold question, italics and the code span.
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(
        &mut terminal,
        &mut app,
        &Theme::with_color(true),
        || Ok(None),
        || Ok(noon(TODAY)),
    )
    .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let cell = |x: u16, y: u16| buffer[(x, y)].clone();
    assert_eq!(
        (cell(11, 3).symbol(), cell(21, 6).symbol(), cell(53, 6).symbol()),
        ("j", "t", "a")
    );
    assert!(cell(11, 3).modifier.contains(ratatui::style::Modifier::BOLD));
    assert!(cell(21, 6).modifier.contains(ratatui::style::Modifier::ITALIC));
    assert_eq!(cell(53, 6).fg, ratatui::style::Color::Green);
    // The code, after the block's frame.
    assert_eq!(cell(3, 14).fg, ratatui::style::Color::Green, "code block");
}

#[test]
fn the_help_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key('?')]);
    insta::assert_snapshot!(screen);
    // Found in review: at 40x12 the meanings wrapped and the list ran off the popup. There,
    // every key but the grades (which the footer shows) fits, with how to close the help.
    let (screen, _) = drive(&mut app, 40, 12, vec![]);
    assert_shows(
        &screen,
        &[
            "space  show",
            "u  undo",
            "b  bury",
            "!  suspend",
            "e  edit",
            "o  open",
            "s  statistics",
            "j k ↑ ↓  scroll",
            "q esc  end",
            "Press any key",
        ],
    );
}

#[test]
fn the_summary_screen() {
    let dir = tempfile::tempdir().unwrap();
    let notes: String = (1..=30)
        .map(|n| format!("Question {n}?\nAnswer {n}.\n"))
        .collect();
    let mut app = app_with(dir.path(), "many.txt", &format!("Many\n{notes}"));
    // Twelve answers, fifteen seconds apart: two failures come back as re-drills.
    let mut events = Vec::new();
    for grade in ['5', '1', '4', '4', '0', '5', '4', '3', '5', '4', '4', '5'] {
        events.extend([char_key(' '), char_key(grade)]);
    }
    events.push(char_key('q'));
    let (screen, _) = drive(&mut app, 80, 24, events);
    insta::assert_snapshot!(screen);
    // Found in review: at 40x12 the grades were cut and the keys were off screen.
    let (screen, _) = drive(&mut app, 40, 12, vec![]);
    assert_shows(&screen, &["5 easy", "u: undo · other keys: close"]);
}

#[test]
fn the_nothing_due_screen() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    let store = store_with(dir.path(), &[&file], day(TODAY));
    // Learn every card today, then come back the same day.
    let mut first = App::new(session(store, day(TODAY)), noon(TODAY));
    for _ in 0..3 {
        first.update(Action::Reveal, noon(TODAY)).unwrap();
        first.update(grade(5), noon(TODAY)).unwrap();
    }
    assert!(first.summary().is_some());
    drop(first);
    let store = Store::open_for_writing(&dir.path().join("data")).unwrap();
    let mut app = App::new(session(store, day(TODAY)), noon(TODAY));
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    insta::assert_snapshot!(screen);
}

#[test]
fn a_40_by_12_screen_is_still_usable() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    // Every key of the question screen fits, on three rows.
    let (screen, _) = drive(&mut app, 40, 12, vec![]);
    assert_shows(
        &screen,
        &[
            "space  show the answer",
            "u  undo   b  bury   !  suspend",
            "e  edit   ?  keys   q  quit",
        ],
    );
    let (screen, _) = drive(&mut app, 40, 12, vec![char_key('j'), char_key(' ')]);
    insta::assert_snapshot!(screen);
}

/// Found in review: at 40x12 a revealed answer below a long question was off screen.
#[test]
fn revealing_on_a_short_screen_scrolls_to_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let question = "Which three factors contributed most to the rise of computer vision in the past decade?";
    let notes = format!("Deck\n{question}\nBetter data.\nBetter hardware.\nBetter software.\n");
    let mut app = app_with(dir.path(), "long.txt", &notes);
    let (screen, _) = drive(&mut app, 40, 12, vec![char_key(' ')]);
    let text = screen.to_string();
    assert!(
        text.contains("── answer ──") && text.contains("Better data."),
        "{text}"
    );
    // The question is still there above it.
    let (screen, _) = drive(&mut app, 40, 12, vec![char_key('k'); 3]);
    let text = screen.to_string();
    assert!(text.contains("Which three factors"), "{text}");
}

/// Found in review: at 80 columns the daily-limit message was cut in the middle.
#[test]
fn the_daily_limit_message_is_shown_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let notes: String = (1..=25)
        .map(|n| format!("Question {n}?\nAnswer {n}.\n"))
        .collect();
    let mut app = app_with(dir.path(), "many.txt", &format!("Deck\n{notes}"));
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    let text = screen.to_string();
    assert!(text.contains("today's limits hold back 5 new cards"), "{text}");
    assert!(
        text.contains("(`recall review --new N`") && text.contains("more)"),
        "{text}"
    );
}

#[test]
fn a_too_small_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 30, 8, vec![]);
    insta::assert_snapshot!(screen);
}

#[test]
fn a_long_answer_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let answer: String = (1..=40).map(|n| format!("line {n}\n")).collect();
    let mut app = app_with(dir.path(), "long.txt", &format!("Deck\nWhy so long?\n{answer}"));
    let (screen, _) = drive(&mut app, 60, 16, vec![char_key(' ')]);
    assert!(screen.to_string().contains("line 1 "));
    let (screen, _) = drive(
        &mut app,
        60,
        16,
        vec![char_key('j'), char_key('j'), key(KeyCode::Down)],
    );
    let text = screen.to_string();
    assert!(
        !text.contains("Why so long?") && text.contains("line 1 "),
        "{text}"
    );
    // Paging stops at the end of the answer and at the top.
    let (screen, _) = drive(&mut app, 60, 16, vec![key(KeyCode::PageDown); 6]);
    let text = screen.to_string();
    assert!(text.contains("line 40") && text.contains("43/43 j/k"), "{text}");
    // The position has a row of its own, below the text.
    let position_row = text.lines().find(|row| row.contains("j/k")).unwrap();
    assert!(!position_row.contains("line "), "{text}");
    let (screen, _) = drive(&mut app, 60, 16, vec![key(KeyCode::PageUp); 6]);
    assert!(screen.to_string().contains("Why so long?"));
}

#[test]
fn reveal_then_every_grade_is_recorded_with_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let notes: String = (0..6).map(|n| format!("Question {n}?\nAnswer {n}.\n")).collect();
    let mut app = app_with(dir.path(), "six.txt", &format!("Deck\n{notes}"));
    assert!(!app.revealed());
    app.update(grade(4), noon(TODAY)).unwrap();
    assert_eq!(
        app.session().done(),
        0,
        "a grade before the answer is shown does nothing"
    );
    for value in (0..=5).rev() {
        app.update(Action::Reveal, noon(TODAY)).unwrap();
        assert!(app.revealed());
        app.update(grade(value), noon(TODAY)).unwrap();
        assert!(!app.revealed(), "the next card starts hidden");
    }
    // Six first grades; grades 0..3 bring their cards back as re-drills.
    assert_eq!(app.session().done(), 6);
    assert_eq!(app.session().queue().remaining().redrills, 4);
    let store = Store::open(&dir.path().join("data")).unwrap();
    let grades: Vec<u8> = store
        .recent_records(day(TODAY))
        .unwrap()
        .iter()
        .filter_map(|r| r.grade)
        .map(|g| g.value())
        .collect();
    assert_eq!(grades, [5, 4, 3, 2, 1, 0]);
}

#[test]
fn undo_twice_restores_both_cards_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let first = app.session().current().unwrap().1.id.clone();
    app.update(Action::Reveal, noon(TODAY)).unwrap();
    app.update(grade(5), noon(TODAY)).unwrap();
    let second = app.session().current().unwrap().1.id.clone();
    app.update(Action::Reveal, noon(TODAY)).unwrap();
    app.update(grade(1), noon(TODAY)).unwrap();
    app.update(Action::Undo, noon(TODAY)).unwrap();
    assert_eq!(app.session().current().unwrap().1.id, second);
    app.update(Action::Undo, noon(TODAY)).unwrap();
    assert_eq!(app.session().current().unwrap().1.id, first);
    assert!(app.session().current().unwrap().1.state.is_new());
    app.update(Action::Undo, noon(TODAY)).unwrap();
    assert_eq!(app.message(), Some("nothing to undo"));
    assert_eq!(app.session().queue().remaining().total(), 3);
    let store = Store::open(&dir.path().join("data")).unwrap();
    let mut kinds = Vec::new();
    store
        .for_each_record(|_, record| {
            if [Kind::Review, Kind::Undo].contains(&record.kind) {
                kinds.push(record.kind);
            }
        })
        .unwrap();
    assert_eq!(kinds, [Kind::Review, Kind::Review, Kind::Undo, Kind::Undo]);
    // Today's reviews that stand: none.
    assert!(store.recent_records(day(TODAY)).unwrap().is_empty());
    assert!(store.cards().iter().all(|c| c.state.is_new()));
}

#[test]
fn bury_and_suspend_take_the_card_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let buried = app.session().current().unwrap().1.id.clone();
    app.update(Action::Bury, noon(TODAY)).unwrap();
    let suspended = app.session().current().unwrap().1.id.clone();
    app.update(Action::Suspend, noon(TODAY)).unwrap();
    assert_eq!(app.session().queue().remaining().total(), 1);
    assert_eq!(
        app.session().store().card(&buried).unwrap().buried,
        Some(day(TODAY))
    );
    assert_eq!(
        app.session().store().card(&suspended).unwrap().status,
        Status::Suspended
    );
    // Both survive a reopen (they were logged).
    drop(app);
    let store = Store::open(&dir.path().join("data")).unwrap();
    assert_eq!(store.card(&buried).unwrap().buried, Some(day(TODAY)));
    assert_eq!(store.card(&suspended).unwrap().status, Status::Suspended);
}

#[test]
fn quitting_mid_card_shows_the_summary_and_a_key_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, effect) = drive(
        &mut app,
        80,
        24,
        vec![char_key(' '), char_key('3'), char_key(' '), char_key('q')],
    );
    assert_eq!(effect, None);
    assert!(screen.to_string().contains("Session over"));
    assert_eq!(app.summary().unwrap().reviewed, 1);
    let (_, effect) = drive(&mut app, 80, 24, vec![char_key('x')]);
    assert_eq!(effect, Some(Effect::Exit));
    // The caches were brought up to the end of the log at the end of the session.
    let data = dir.path().join("data");
    let progress: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("progress.json")).unwrap()).unwrap();
    let log = crate::common::the_log(&data);
    assert_eq!(
        progress["logs"][0]["offset"],
        std::fs::metadata(&log).unwrap().len()
    );
}

#[test]
fn escape_and_ctrl_c_end_the_session_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    drive(&mut app, 80, 24, vec![key(KeyCode::Esc)]);
    assert!(app.summary().is_some());
    let other = tempfile::tempdir().unwrap();
    let mut app = app_with(other.path(), "cv.txt", TEXT_NOTES);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    drive(&mut app, 80, 24, vec![ctrl_c]);
    assert!(app.summary().is_some());
}

#[test]
fn edit_asks_for_the_notes_file_at_the_card_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (_, effect) = drive(&mut app, 80, 24, vec![char_key('e')]);
    let file = std::fs::canonicalize(dir.path().join("cv.txt")).unwrap();
    assert_eq!(
        effect,
        Some(Effect::Edit {
            file: file.clone(),
            line: 3
        })
    );
    // The user fixes the answer in the editor; the session carries on with the new text.
    let edited = TEXT_NOTES.replace("1.3 billion.", "About 1.3 billion (2023).");
    std::fs::write(&file, edited).unwrap();
    recall::tui::reimport(&mut app, &file, noon(TODAY)).unwrap();
    assert_eq!(
        app.session().current().unwrap().1.answer,
        "About 1.3 billion (2023)."
    );
    assert!(
        app.message()
            .unwrap()
            .starts_with("re-imported: 0 new, 1 updated")
    );
}

#[test]
fn resizing_at_any_moment_redraws_at_the_new_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let theme = Theme::with_color(false);
    let mut events = vec![char_key(' ')].into_iter();
    run_loop(
        &mut terminal,
        &mut app,
        &theme,
        || Ok(events.next()),
        || Ok(noon(TODAY)),
    )
    .unwrap();
    for (w, h) in [(30, 8), (40, 12), (120, 40)] {
        terminal.backend_mut().resize(w, h);
        let mut events = vec![Event::Resize(w, h)].into_iter();
        run_loop(
            &mut terminal,
            &mut app,
            &theme,
            || Ok(events.next()),
            || Ok(noon(TODAY)),
        )
        .unwrap();
        let text = terminal.backend().to_string();
        if w < 40 {
            assert!(text.contains("Terminal too small"));
        } else {
            assert!(text.contains("1.3 billion."), "{text}");
        }
    }
}

/// Statistics of the small deck reviewed on two days.
fn reviewed_stats(dir: &std::path::Path) -> recall::stats::Stats {
    let file = write_notes(dir, "cv.txt", TEXT_NOTES);
    let store = store_with(dir, &[&file], day("2026-11-20"));
    let mut session = session(store, day("2026-11-20"));
    for grade_value in [5, 4, 5] {
        session
            .grade(Grade::new(grade_value).unwrap(), noon("2026-11-20"), 4000)
            .unwrap();
    }
    session.finish().unwrap();
    drop(session);
    let store = Store::open_for_writing(&dir.join("data")).unwrap();
    let mut session = crate::common::session(store, day("2026-11-21"));
    for grade_value in [2, 5, 4, 4] {
        session
            .grade(Grade::new(grade_value).unwrap(), noon("2026-11-21"), 6000)
            .unwrap();
    }
    session.finish().unwrap();
    let input = recall::stats::gather(
        session.store(),
        &Default::default(),
        day("2026-11-21"),
        noon("2026-11-21"),
    )
    .unwrap();
    recall::stats::compute(&input)
}

fn draw_stats(stats: recall::stats::Stats, width: u16, height: u16, events: Vec<Event>) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut screen = recall::tui::stats_view::StatsScreen::new(stats);
    let mut events = events.into_iter();
    recall::tui::stats_loop(&mut terminal, &mut screen, &Theme::with_color(false), || {
        Ok(events.next())
    })
    .unwrap();
    terminal.backend().clone()
}

#[test]
fn the_stats_screen_wide() {
    let dir = tempfile::tempdir().unwrap();
    let screen = draw_stats(reviewed_stats(dir.path()), 100, 30, vec![]);
    insta::assert_snapshot!(screen);
}

#[test]
fn the_stats_screen_narrow_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let stats = reviewed_stats(dir.path());
    let screen = draw_stats(stats.clone(), 40, 12, vec![]);
    insta::assert_snapshot!(screen);
    let scrolled = draw_stats(stats.clone(), 40, 12, vec![char_key('j'); 12]);
    assert!(scrolled.to_string().contains("Lecture 2"), "{scrolled}");
    let small = draw_stats(stats, 30, 8, vec![]);
    assert!(small.to_string().contains("Terminal too small"));
}

#[test]
fn s_opens_statistics_over_the_review_and_a_key_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 100, 30, vec![char_key('s')]);
    assert!(screen.to_string().contains("True retention"), "{screen}");
    let (screen, _) = drive(&mut app, 100, 30, vec![char_key('j'), char_key('x')]);
    assert!(screen.to_string().contains("How many images"), "{screen}");
    assert!(!screen.to_string().contains("True retention"), "{screen}");
}

#[test]
fn a_card_of_megabytes_is_cut_for_display_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(
        dir.path(),
        "long.txt",
        &format!("Long\n{}?\nYes.\n", "word ".repeat(1024 * 1024)),
    );
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' '), char_key('j')]);
    assert!(screen.to_string().contains("word word"));
    let (screen, _) = drive(&mut app, 80, 24, vec![key(KeyCode::PageDown); 200]);
    assert!(screen.to_string().contains("(cut for display)"), "{screen}");
}

#[test]
fn the_last_grade_can_be_undone_from_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "one.txt", "Deck\nOnly question?\nOnly answer.\n");
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' '), char_key('5')]);
    assert!(screen.to_string().contains("Session over"));
    // Every key closed the summary, so the last grade could not be taken back.
    let (screen, effect) = drive(&mut app, 80, 24, vec![char_key('u')]);
    assert_eq!(effect, None);
    assert!(screen.to_string().contains("Only question?"), "{screen}");
    assert!(app.session().current().unwrap().1.state.is_new());
}

#[test]
fn undoing_the_grade_that_suspended_a_leech_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_notes(
        dir.path(),
        "leech.txt",
        "Deck\nHard question?\nHard answer.\nOther?\nYes.\n",
    );
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/config.json"),
        r#"{"leech_threshold": 1, "leech_action": "suspend"}"#,
    )
    .unwrap();
    let store = store_with(dir.path(), &[&file], day("2026-11-20"));
    // A card that was learnt once: its next failure is a lapse, and with a threshold of 1 a leech.
    let mut learnt = session(store, day("2026-11-20"));
    learnt
        .grade(Grade::new(5).unwrap(), noon("2026-11-20"), 1000)
        .unwrap();
    learnt.finish().unwrap();
    drop(learnt);
    let store = Store::open_for_writing(&dir.path().join("data")).unwrap();
    let mut app = App::new(session(store, day(TODAY)), noon(TODAY));
    app.update(Action::Reveal, noon(TODAY)).unwrap();
    app.update(grade(1), noon(TODAY)).unwrap();
    assert!(app.message().unwrap().starts_with("leech"));
    let id = app.session().store().cards()[0].id.clone();
    assert_eq!(app.session().store().card(&id).unwrap().status, Status::Suspended);
    app.update(Action::Undo, noon(TODAY)).unwrap();
    assert_eq!(app.session().store().card(&id).unwrap().status, Status::Active);
    assert_eq!(app.session().current().unwrap().1.id, id);
    drop(app);
    // The way back is logged, so it survives a reopen.
    let store = Store::open(&dir.path().join("data")).unwrap();
    assert_eq!(store.card(&id).unwrap().status, Status::Active);
}

#[test]
fn an_undo_that_brings_no_card_back_stays_on_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "one.txt", "Deck\nOnly question?\nOnly answer.\n");
    // Graded 1, it comes back; suspended then, the session ends.
    drive(
        &mut app,
        80,
        24,
        vec![char_key(' '), char_key('1'), char_key('!')],
    );
    assert!(app.summary().is_some());
    // Undoing the grade cannot show the suspended card: this drew an empty review screen.
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key('u')]);
    assert!(app.summary().is_some(), "{screen}");
    assert!(screen.to_string().contains("Session over"));
}

/// Statistics of a card graded once a day for `days` days in a row, up to `last`.
fn streak_stats(dir: &std::path::Path, days: u64, last: &str) -> recall::stats::Stats {
    let file = write_notes(dir, "one.txt", "Deck\nOnly?\nYes.\n");
    let last = day(last);
    let first = last - chrono::Days::new(days - 1);
    let mut store = store_with(dir, &[&file], first);
    for n in 0..days {
        let today = first + chrono::Days::new(n);
        let mut session = recall::review::session::Session::start(
            store,
            &recall::review::queue::Options {
                mode: recall::review::queue::Mode::Cram { shuffle: None },
                ..Default::default()
            },
            today,
        )
        .unwrap();
        session
            .grade(Grade::new(5).unwrap(), noon(&today.to_string()), 1000)
            .unwrap();
        session.finish().unwrap();
        drop(session);
        store = Store::open_for_writing(&dir.join("data")).unwrap();
    }
    let input = recall::stats::gather(&store, &Default::default(), last, noon(&last.to_string())).unwrap();
    recall::stats::compute(&input)
}

#[test]
fn a_narrow_statistics_heading_drops_words_never_digits() {
    let dir = tempfile::tempdir().unwrap();
    let stats = streak_stats(dir.path(), 11, "2026-11-28");
    assert_eq!(stats.streak.current, 11);
    for (width, height) in [(40, 12), (48, 12), (60, 14), (100, 30)] {
        let screen = draw_stats(stats.clone(), width, height, vec![]);
        let heading = screen.to_string().lines().next().unwrap().to_string();
        // A streak is shown whole or not at all.
        assert!(
            !heading.contains("streak 1 ") && !heading.contains("streak 1\""),
            "{heading}"
        );
        if heading.contains("streak") {
            assert!(heading.contains("streak 11 days"), "{heading}");
        }
    }
    let wide = draw_stats(stats, 100, 30, vec![]).to_string();
    assert!(
        wide.lines()
            .next()
            .unwrap()
            .contains("streak 11 days (longest 11)"),
        "{wide}"
    );
}

#[test]
fn a_note_shows_only_with_the_answer_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(
        dir.path(),
        "os.txt",
        "OS\nWhat is the banker's algorithm used for? - deadlock avoidance\nChecking that granting a request leaves a safe state.\n",
    );
    let (question, _) = drive(&mut app, 80, 24, vec![]);
    assert!(!question.to_string().contains("deadlock"), "{question}");
    let (answer, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert_shows(&answer, &["Checking that granting", "note: - deadlock avoidance"]);
}

#[test]
fn a_message_lasts_until_the_next_key_and_names_a_suspended_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' '), char_key('4')]);
    assert_shows(&screen, &["graded 4: due in 1 day"]);
    // The next key is about the next card: the message about the last one goes.
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert!(!screen.to_string().contains("graded 4"), "{screen}");
    let id = app.session().current().unwrap().1.id.clone();
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key('!')]);
    assert_shows(
        &screen,
        &[&format!(
            "suspended {id} (`recall card unsuspend {id}` brings it back)"
        )],
    );
}

#[test]
fn the_card_after_one_an_edit_took_away_starts_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    let store = store_with(dir.path(), &[&file], day(TODAY));
    let mut app = App::new(session(store, day(TODAY)), noon(TODAY));
    drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert!(app.revealed());
    // The question on screen is edited away.
    let edited = TEXT_NOTES.replace("How many images uploaded to Instagram daily?\n1.3 billion.\n", "");
    std::fs::write(&file, edited).unwrap();
    recall::tui::reimport(&mut app, &file, noon(TODAY)).unwrap();
    assert_eq!(
        app.session().current().unwrap().1.question,
        "What are 3 factors behind the rise of computer vision?"
    );
    assert!(!app.revealed(), "the next card opened with its answer shown");
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    assert!(!screen.to_string().contains("── answer ──"), "{screen}");
    // An edit that keeps the card keeps what was shown.
    drive(&mut app, 80, 24, vec![char_key(' ')]);
    recall::tui::reimport(&mut app, &file, noon(TODAY)).unwrap();
    assert!(app.revealed());
}

#[test]
fn a_table_is_aligned_under_its_head_and_cut_to_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let notes = "# ML\n\nWhich activation is which?\n\n| name | formula | note |\n|---|---|---|\n| ReLU | max(0, x) | the usual one |\n| Leaky ReLU | max(0.01x, x) | no dead units |\n";
    let mut app = app_with(dir.path(), "ml.md", notes);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert_shows(
        &screen,
        &[
            "name       │ formula       │ note",
            "───────────┼───────────────┼──────────────",
            "ReLU       │ max(0, x)     │ the usual one",
            "Leaky ReLU │ max(0.01x, x) │ no dead units",
        ],
    );
    // At 40 columns the widest columns give way, and what does not fit ends in an ellipsis.
    let (screen, _) = drive(&mut app, 40, 14, vec![]);
    let text = screen.to_string();
    assert!(text.contains("ReLU       │ max(0, x)   │ the usual…"), "{text}");
    assert!(text.contains("───────────┼─────────────┼────────────"), "{text}");
}

#[test]
fn a_wide_terminal_keeps_a_readable_measure_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(60);
    let mut app = app_with(dir.path(), "long.txt", &format!("Long\nWhat is {long}?\nYes.\n"));
    let (screen, _) = drive(&mut app, 200, 60, vec![]);
    let text = screen.to_string();
    let question_lines: Vec<&str> = text.lines().filter(|l| l.contains("word")).collect();
    assert!(question_lines.len() >= 3, "{text}");
    for line in question_lines {
        let line = line.trim_matches('"');
        let start = line.find("word").or_else(|| line.find("What")).unwrap();
        let end = line.trim_end().chars().count();
        // Text starts after the left half of the spare room, and is at most 100 columns wide.
        assert!(start >= 50, "{line:?}");
        assert!(end - start <= 100, "{line:?}");
    }
}

#[test]
fn the_summary_offers_undo_only_when_a_grade_can_be_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key('q')]);
    assert_shows(&screen, &["Session over", "Press any key to close."]);
    assert!(!screen.to_string().contains("Press u"), "{screen}");
    let (_, effect) = drive(&mut app, 80, 24, vec![char_key('u')]);
    assert_eq!(effect, Some(Effect::Exit));
    let again = dir.path().join("again");
    std::fs::create_dir(&again).unwrap();
    let mut app = app_with(&again, "cv.txt", TEXT_NOTES);
    let (screen, _) = drive(
        &mut app,
        80,
        24,
        vec![char_key(' '), char_key('5'), char_key('q')],
    );
    assert_shows(&screen, &["Press u to undo the last grade"]);
}

/// With FSRS on, the header gives the card's chance of recall today and each grade previews
/// FSRS's interval; under SM-2 there is no such chance to show.
#[test]
fn under_fsrs_the_screen_shows_the_chance_of_recall_and_fsrs_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    for _ in 0..3 {
        first.update(Action::Reveal, noon(TODAY)).unwrap();
        first.update(grade(4), noon(TODAY)).unwrap();
    }
    assert!(first.summary().is_some());
    drop(first);
    let later = day(TODAY) + chrono::Duration::days(2);
    let open = || {
        let store = Store::open_for_writing(&dir.path().join("data")).unwrap();
        App::new(session(store, later), noon(TODAY))
    };
    // SM-2 gave each card a day: due, with no chance shown.
    let (screen, _) = drive(&mut open(), 80, 24, vec![char_key(' ')]);
    assert!(!screen.to_string().contains("recall "), "{screen}");
    assert_shows(&screen, &["review", "4  good 6d"]);

    std::fs::write(dir.path().join("data/config.json"), r#"{"scheduler": "fsrs"}"#).unwrap();
    // FSRS gave a first Good a stability of 2.3 days: two days on, recall is 91% likely.
    let (screen, _) = drive(&mut open(), 80, 24, vec![char_key(' ')]);
    insta::assert_snapshot!(screen);
    assert_shows(&screen, &["review · recall 91%"]);
}

/// Formulas show as Unicode where it says the same thing, in plain text and Markdown cards;
/// `$` as currency stays as written, and so does LaTeX Unicode cannot say.
#[test]
fn formulas_are_drawn_as_unicode() {
    let dir = tempfile::tempdir().unwrap();
    let notes = "Vision\nWhat does softmax give for $z_i$?\n$\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$, costs $5 and $10, and \\(\\mathbb{R}^n \\to \\Delta\\).\n";
    let mut app = app_with(dir.path(), "ml.txt", notes);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert_shows(
        &screen,
        &[
            "What does softmax give for zᵢ?",
            "σ(z)ᵢ = e^{zᵢ}/(∑ⱼ e^{zⱼ}), costs $5 and $10, and ℝⁿ → Δ.",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let notes = "# Calculus\n\n## Limits\n\nWhat is $\\lim_{x \\to 0} \\frac{\\sin x}{x}$?\n\nIt is $1$; in code `$x$` stays.\n\n$$\\int_0^\\infty e^{-x} \\, dx = 1$$\n\n\\(\\alpha \\neq \\beta\\) and \\begin{pmatrix} a \\end{pmatrix}\n";
    let mut app = app_with(dir.path(), "calc.md", notes);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    insta::assert_snapshot!(screen);
    assert_shows(
        &screen,
        &["It is 1; in code $x$ stays.", "∫_0^∞ e⁻ˣ dx = 1", "α ≠ β"],
    );
}

/// An image shows as a placeholder; `o` opens it, resolved against the notes' folder, one
/// after another when there are several, and says so when the file is not there.
#[test]
fn images_show_as_placeholders_and_o_opens_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("figs")).unwrap();
    std::fs::write(dir.path().join("figs/cell.png"), b"png").unwrap();
    let notes = "# Biology\n\n## Cells\n\nWhat does a cell look like?\n\n![a plant cell](figs/cell.png) and ![](figs/gone.png)\n";
    let mut app = app_with(dir.path(), "bio.md", notes);
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert_shows(&screen, &["[image: a plant cell] and [image: gone.png]"]);
    let opened = app.update(Action::OpenImage, noon(TODAY)).unwrap();
    let cell = dir.path().join("figs/cell.png").display().to_string();
    assert_eq!(opened, Some(Effect::Open(cell.clone())));
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    assert_shows(&screen, &[&format!("opening {cell} (1 of 2; o opens the next)")]);
    // The second file is not there: said, and nothing opened.
    assert_eq!(app.update(Action::OpenImage, noon(TODAY)).unwrap(), None);
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    assert_shows(&screen, &["image not found: ", "gone.png"]);

    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), "cv.txt", TEXT_NOTES);
    assert_eq!(app.update(Action::OpenImage, noon(TODAY)).unwrap(), None);
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    assert_shows(&screen, &["this card has no image"]);
}

#[test]
fn a_terminal_that_draws_pictures_shows_the_cards_picture_below_its_text() {
    let dir = tempfile::tempdir().unwrap();
    // A red picture, 40 by 20 pixels.
    let red = image::RgbImage::from_pixel(40, 20, image::Rgb([255, 0, 0]));
    red.save(dir.path().join("red.png")).unwrap();
    let notes = "# Art\n\n## Colours\n\nWhat does red look like?\n\n![swatch](red.png)\n";
    let mut app = app_with(dir.path(), "art.md", notes);
    app.set_pictures(recall::tui::pictures::Pictures::with_picker(
        ratatui_image::picker::Picker::halfblocks(),
    ));
    let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
    assert_shows(&screen, &["What does red look like?", "[image: swatch]"]);
    let buffer = screen.buffer();
    let red_cells: Vec<(u16, u16)> = (0..24)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .filter(|&(x, y)| buffer[(x, y)].fg == ratatui::style::Color::Rgb(255, 0, 0))
        .collect();
    assert!(!red_cells.is_empty(), "no picture on screen");
    // Below the question's text, and inside the screen's frame.
    assert!(
        red_cells.iter().all(|&(_, y)| (8..23).contains(&y)),
        "{red_cells:?}"
    );

    // A tiny screen keeps its room for the text.
    let (screen, _) = drive(&mut app, 40, 6, vec![]);
    let buffer = screen.buffer();
    assert!(
        (0..6)
            .flat_map(|y| (0..40).map(move |x| (x, y)))
            .all(|(x, y)| buffer[(x, y)].fg != ratatui::style::Color::Rgb(255, 0, 0))
    );
}

/// The cells of `screen` whose symbols spell `word` on one row, with whether each is underlined.
fn underlined_cells(screen: &TestBackend, word: &str) -> Vec<bool> {
    let buffer = screen.buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(at) = row.find(word) {
            let x = row[..at].chars().count() as u16;
            return (x..x + word.chars().count() as u16)
                .map(|x| {
                    buffer[(x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::UNDERLINED)
                })
                .collect();
        }
    }
    panic!("{word:?} is not on the screen: {}", screen);
}

#[test]
fn a_cloze_card_hides_its_deletion_and_highlights_it_once_revealed() {
    for (name, notes) in [
        (
            "geo.txt",
            "Geography\n{{c1::Paris}} is the capital of {{c2::France::country}}.\n",
        ),
        (
            "geo.md",
            "# Geography\n\n## Capitals\n\n{{c1::Paris}} is the *capital* of {{c2::France::country}}.\n",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with(dir.path(), name, notes);
        let (screen, _) = drive(&mut app, 80, 24, vec![]);
        assert_shows(&screen, &["[...] is the capital of France."]);
        assert!(!screen.to_string().contains("Paris"), "{name}: {}", screen);

        let (screen, _) = drive(&mut app, 80, 24, vec![char_key(' ')]);
        assert_shows(&screen, &["── answer ──", "Paris is the capital of France."]);
        // In the answer, the deletion is highlighted, and the rest of the text is not.
        assert_eq!(
            underlined_cells(&screen, "Paris is"),
            [true; 5].into_iter().chain([false; 3]).collect::<Vec<_>>(),
            "{name}"
        );
        assert!(
            underlined_cells(&screen, "France.").iter().all(|&lit| !lit),
            "{name}"
        );

        // The second card shows its hint, and its deletion is the one highlighted.
        let (screen, _) = drive(&mut app, 80, 24, vec![char_key('5'), char_key(' ')]);
        assert_shows(&screen, &["Paris is the capital of [country]."]);
        let answer = underlined_cells(&screen, "capital of France.");
        assert_eq!(answer[11..17], [true; 6], "{name}");
        assert!(
            answer[..11].iter().chain(&answer[17..]).all(|&lit| !lit),
            "{name}"
        );
    }
}

#[test]
fn the_sections_table_of_several_decks_fits_a_narrow_screen() {
    let dir = tempfile::tempdir().unwrap();
    let biology = write_notes(
        dir.path(),
        "bio.txt",
        "Biology\nLecture 1 - The cell and everything inside it\nWhat is a cell?\nThe unit of life.\n",
    );
    let chemistry = write_notes(
        dir.path(),
        "chem.txt",
        "Chemistry\nLecture 1 - Atoms, bonds and everything between them\nWhat is an atom?\nThe unit of matter.\n",
    );
    let store = store_with(dir.path(), &[&biology, &chemistry], day(TODAY));
    let input = recall::stats::gather(&store, &Default::default(), day(TODAY), noon(TODAY)).unwrap();
    let stats = recall::stats::compute(&input);
    for width in 40..=100 {
        let screen = draw_stats(stats.clone(), width, 60, vec![]).to_string();
        let rows: Vec<&str> = screen.lines().collect();
        let header = rows
            .iter()
            .position(|row| row.contains("mastery"))
            .unwrap_or_else(|| panic!("no sections table at {width}: {screen}"));
        assert!(rows[header].contains("mature"), "{width}: {screen}");
        let sections: Vec<&&str> = rows[header + 1..]
            .iter()
            .filter(|row| row.contains('░'))
            .collect();
        assert_eq!(sections.len(), 2, "{width}: {screen}");
        for row in sections {
            // Each row shows its bar and the figures after it whole.
            assert!(row.contains("0%"), "{width}: {row}");
        }
    }
}

#[test]
fn o_opens_files_and_web_pages_only() {
    let dir = tempfile::tempdir().unwrap();
    let notes = "# Web\n\n## Links\n\nWhat do these show?\n\n![a chart](https://example.org/chart.png) ![run me](vscode://x/y)\n";
    let mut app = app_with(dir.path(), "web.md", notes);
    let opened = app.update(Action::OpenImage, noon(TODAY)).unwrap();
    assert_eq!(
        opened,
        Some(Effect::Open("https://example.org/chart.png".to_string()))
    );
    // Another scheme would run whatever the system opens it with: said, not opened.
    assert_eq!(app.update(Action::OpenImage, noon(TODAY)).unwrap(), None);
    let (screen, _) = drive(&mut app, 80, 24, vec![]);
    assert_shows(
        &screen,
        &["not opened: vscode://x/y is neither a file nor a web address"],
    );
    // Files beside the notes: a picture is opened, a script is not.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cell.png"), b"png").unwrap();
    std::fs::write(dir.path().join("run.command"), b"echo hi").unwrap();
    let notes = "# Files\n\n## Links\n\nWhat do these show?\n\n![a cell](cell.png) ![run me](run.command)\n";
    let mut app = app_with(dir.path(), "files.md", notes);
    let opened = app.update(Action::OpenImage, noon(TODAY)).unwrap();
    let picture = std::fs::canonicalize(dir.path()).unwrap().join("cell.png");
    assert_eq!(opened, Some(Effect::Open(picture.display().to_string())));
    assert_eq!(app.update(Action::OpenImage, noon(TODAY)).unwrap(), None);
    let (screen, _) = drive(&mut app, 100, 24, vec![]);
    assert_shows(&screen, &["is not a picture"]);
}
