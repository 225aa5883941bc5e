//! The statistics themselves, computed from their inputs alone.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::*;
use crate::core::history::{MATURE_DAYS, Tally};
use crate::core::settings::Scheduler;
use crate::core::{Card, Kind, Schedule, Status, is_leech};

/// Computes every statistic from `input`.
pub fn compute(input: &Input) -> Stats {
    let cards: Vec<&Card> = input
        .cards
        .iter()
        .copied()
        .filter(|c| c.status != Status::Retired)
        .collect();
    Stats {
        generated_at: input.now,
        today: today(input),
        counts: counts(&cards, input.leech_threshold),
        retention: Retention {
            predicted_today: predicted_retention(&cards, &input.schedule, input.today),
            ..retention(&input.days, input.today)
        },
        streak: streak(&input.days, input.today),
        forecast: forecast(&cards, &input.schedule, input.today),
        daily: daily(&input.days, input.today),
        ease: ease_buckets(&cards),
        intervals: interval_buckets(&cards),
        sections: sections(&cards),
        hardest: hardest(&cards),
    }
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

fn today(input: &Input) -> Today {
    let undone: HashSet<u64> = input.today_records.iter().filter_map(|r| r.undoes).collect();
    let mut tally = Tally::default();
    let mut cards = HashSet::new();
    for record in input
        .today_records
        .iter()
        .filter(|r| r.day == input.today && !undone.contains(&r.id))
    {
        if record.kind == Kind::Undo {
            continue;
        }
        if let Some(one) = Tally::of(record) {
            tally.add(&one);
            cards.insert(record.card.as_str());
        }
    }
    Today {
        date: input.today,
        cards_reviewed: cards.len(),
        reviews: tally.reviews,
        seconds: tally.ms / 1000,
        new_learnt: tally.new,
        redrills: tally.redrills,
        percent_correct: percent(tally.correct, tally.reviews),
    }
}

fn counts(cards: &[&Card], leech_threshold: u32) -> Counts {
    let mut counts = Counts {
        total: cards.len(),
        ..Counts::default()
    };
    for card in cards {
        if is_leech(card.state.lapses, leech_threshold) {
            counts.leeches += 1;
        }
        let state = &card.state;
        let counter = match card.status {
            Status::Suspended => &mut counts.suspended,
            _ if state.is_new() => &mut counts.new,
            _ if state.repetitions < 2 => &mut counts.learning,
            _ if state.interval < MATURE_DAYS => &mut counts.young,
            _ => &mut counts.mature,
        };
        *counter += 1;
    }
    counts
}

fn window(days: &BTreeMap<NaiveDate, Tally>, from: NaiveDate, to: NaiveDate) -> RetentionWindow {
    let mut sum = Tally::default();
    for tally in days.range(from..=to).map(|(_, t)| t) {
        sum.add(tally);
    }
    let rate = |passed: i64, failed: i64| Rate {
        passed,
        failed,
        rate: percent(passed, passed + failed),
    };
    RetentionWindow {
        young: rate(sum.young_pass, sum.young_fail),
        mature: rate(sum.mature_pass, sum.mature_fail),
        total: rate(sum.young_pass + sum.mature_pass, sum.young_fail + sum.mature_fail),
    }
}

fn retention(days: &BTreeMap<NaiveDate, Tally>, today: NaiveDate) -> Retention {
    let back = |n: u64| crate::schedule::day::sub(today, n);
    Retention {
        predicted_today: None,
        today: window(days, today, today),
        yesterday: window(days, back(1), back(1)),
        last_7_days: window(days, back(6), today),
        last_30_days: window(days, back(29), today),
        last_365_days: window(days, back(364), today),
        all_time: window(days, NaiveDate::MIN, NaiveDate::MAX),
    }
}

fn streak(days: &BTreeMap<NaiveDate, Tally>, today: NaiveDate) -> Streak {
    let studied: Vec<NaiveDate> = days
        .iter()
        .filter(|(_, t)| t.reviews > 0)
        .map(|(d, _)| *d)
        .collect();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for &day in &studied {
        run = match previous {
            Some(p) if p.succ_opt() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let set: HashSet<NaiveDate> = studied.into_iter().collect();
    let mut day = if set.contains(&today) {
        Some(today)
    } else {
        today.pred_opt()
    };
    let mut current = 0;
    while let Some(d) = day.filter(|d| set.contains(d)) {
        current += 1;
        day = d.pred_opt();
    }
    Streak { current, longest }
}

/// With FSRS chosen: its average probability of recall today over the cards in review.
fn predicted_retention(cards: &[&Card], schedule: &Schedule, today: NaiveDate) -> Option<f64> {
    if schedule.kind != Scheduler::Fsrs {
        return None;
    }
    let recalls: Vec<f64> = cards
        .iter()
        .filter(|c| c.status == Status::Active)
        .filter_map(|c| schedule.retrievability(c, today))
        .collect();
    (!recalls.is_empty()).then(|| {
        let mean = recalls.iter().sum::<f64>() / recalls.len() as f64;
        (mean * 1000.0).round() / 10.0
    })
}

fn forecast(cards: &[&Card], schedule: &Schedule, today: NaiveDate) -> Vec<Forecast> {
    let mut due = vec![0usize; FORECAST_DAYS as usize];
    for card in cards.iter().filter(|c| c.status == Status::Active) {
        if let Some(day) = schedule.due(card) {
            let offset = usize::try_from(day.signed_duration_since(today).num_days()).unwrap_or(0);
            if let Some(slot) = due.get_mut(offset) {
                *slot += 1;
            }
        }
    }
    due.into_iter()
        .enumerate()
        .map(|(n, due)| Forecast {
            date: crate::schedule::day::add(today, n as u64),
            due,
        })
        .collect()
}

fn daily(days: &BTreeMap<NaiveDate, Tally>, today: NaiveDate) -> Vec<Daily> {
    // Near the first day there are fewer days to list, never the same day twice.
    let first = crate::schedule::day::sub(today, DAILY_DAYS - 1);
    first
        .iter_days()
        .take_while(|&date| date <= today)
        .map(|date| {
            let tally = days.get(&date).copied().unwrap_or_default();
            Daily {
                date,
                reviews: tally.reviews,
                correct: tally.correct,
                seconds: tally.ms / 1000,
                new: tally.new,
            }
        })
        .collect()
}

fn reviewed<'a>(cards: &'a [&'a Card]) -> impl Iterator<Item = &'a Card> {
    cards.iter().copied().filter(|c| !c.state.is_new())
}

fn ease_buckets(cards: &[&Card]) -> Vec<Bucket> {
    const BUCKETS: [(&str, u16); 7] = [
        ("1.30-1.49", 150),
        ("1.50-1.79", 180),
        ("1.80-2.09", 210),
        ("2.10-2.39", 240),
        ("2.40-2.59", 260),
        ("2.60-2.89", 290),
        ("2.90+", u16::MAX),
    ];
    let mut out: Vec<Bucket> = BUCKETS
        .iter()
        .map(|(label, _)| Bucket { label, cards: 0 })
        .collect();
    for card in reviewed(cards) {
        let ease = card.state.ease.hundredths();
        if let Some(at) = BUCKETS.iter().position(|(_, below)| ease < *below) {
            out[at].cards += 1;
        }
    }
    out
}

fn interval_buckets(cards: &[&Card]) -> Vec<Bucket> {
    const BUCKETS: [(&str, u32); 9] = [
        ("1 day", 1),
        ("2-3 days", 3),
        ("4-7 days", 7),
        ("1-2 weeks", 14),
        ("2-4 weeks", 30),
        ("1-3 months", 90),
        ("3-6 months", 180),
        ("6-12 months", 365),
        ("over a year", u32::MAX),
    ];
    let mut out: Vec<Bucket> = BUCKETS
        .iter()
        .map(|(label, _)| Bucket { label, cards: 0 })
        .collect();
    for card in reviewed(cards) {
        if let Some(at) = BUCKETS.iter().position(|(_, most)| card.state.interval <= *most) {
            out[at].cards += 1;
        }
    }
    out
}

fn sections(cards: &[&Card]) -> Vec<Section> {
    #[derive(Default)]
    struct Sum {
        cards: usize,
        mature: usize,
        reviewed: usize,
        ease: u64,
        lapses: u32,
    }
    let mut order: Vec<(&str, &str)> = Vec::new();
    let mut sums: HashMap<(&str, &str), Sum> = HashMap::new();
    for card in cards {
        let key = (card.deck.as_str(), card.section.as_str());
        let sum = sums.entry(key).or_insert_with(|| {
            order.push(key);
            Sum::default()
        });
        sum.cards += 1;
        sum.lapses += card.state.lapses;
        if card.state.interval >= MATURE_DAYS {
            sum.mature += 1;
        }
        if !card.state.is_new() {
            sum.reviewed += 1;
            sum.ease += u64::from(card.state.ease.hundredths());
        }
    }
    order
        .into_iter()
        .map(|key| {
            let sum = &sums[&key];
            Section {
                deck: key.0.to_string(),
                section: key.1.to_string(),
                cards: sum.cards,
                mature_percent: percent(sum.mature as i64, sum.cards as i64).unwrap_or(0.0),
                average_ease: (sum.reviewed > 0)
                    .then(|| (sum.ease as f64 / sum.reviewed as f64).round() / 100.0),
                lapses: sum.lapses,
            }
        })
        .collect()
}

fn hardest(cards: &[&Card]) -> Vec<Hard> {
    let mut reviewed: Vec<&Card> = reviewed(cards).collect();
    reviewed.sort_by_key(|c| (std::cmp::Reverse(c.state.lapses), c.state.ease, c.line));
    reviewed
        .into_iter()
        .take(HARDEST)
        .map(|c| Hard {
            id: c.id.clone(),
            deck: c.deck.clone(),
            section: c.section.clone(),
            question: c.question.clone(),
            lapses: c.state.lapses,
            ease: c.state.ease.as_f64(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::day::study_day;
    use crate::schedule::sm2::{CardState, Ease, Grade, review};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn card(id: &str, section: &str, state: CardState) -> Card {
        Card {
            id: id.into(),
            deck: "D".into(),
            section: section.into(),
            question: format!("{id}?"),
            answer: "a".into(),
            note: String::new(),
            line: 1,
            cloze: None,
            added: day("2026-01-01"),
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state,
            fsrs: None,
            fsrs_before: None,
        }
    }

    fn record(id: u64, card: &str, kind: Kind, grade: u8, before: CardState, when: &str) -> Record {
        let at = at(when);
        Record {
            id,
            grade: Grade::new(grade),
            before: Some(before),
            after: Some(before),
            ms: Some(10_000),
            ..Record::new(
                kind,
                card,
                crate::core::Stamp {
                    at,
                    day: study_day(at, 4),
                },
            )
        }
    }

    fn input<'a>(cards: &'a [Card], records: &[Record], today: &str) -> Input<'a> {
        let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
        for record in records {
            if let Some(tally) = Tally::of(record) {
                days.entry(record.day).or_default().add(&tally);
            }
        }
        Input {
            cards: cards.iter().collect(),
            days,
            today_records: records.iter().filter(|r| r.day == day(today)).cloned().collect(),
            today: day(today),
            now: at(&format!("{today}T12:00:00+00:00")),
            leech_threshold: 8,
            schedule: Default::default(),
            warnings: Vec::new(),
        }
    }

    fn state(interval: u32, last: &str) -> CardState {
        CardState {
            repetitions: 3,
            ease: Ease::START,
            interval,
            due: Some(day(last) + chrono::Days::new(u64::from(interval))),
            lapses: 0,
            last_review: Some(day(last)),
        }
    }

    #[test]
    fn true_retention_counts_first_reviews_of_cards_seen_before() {
        let young = state(6, "2026-11-20");
        let mature = state(40, "2026-10-17");
        let records = [
            record(1, "a", Kind::Review, 4, young, "2026-11-26T10:00:00+00:00"),
            record(2, "b", Kind::Review, 2, young, "2026-11-26T10:01:00+00:00"),
            record(3, "b", Kind::Redrill, 4, young, "2026-11-26T10:05:00+00:00"),
            record(4, "c", Kind::Review, 5, mature, "2026-11-26T10:02:00+00:00"),
            record(5, "d", Kind::Review, 1, mature, "2026-11-25T10:00:00+00:00"),
            record(
                6,
                "e",
                Kind::Review,
                4,
                CardState::default(),
                "2026-11-26T10:03:00+00:00",
            ),
        ];
        let stats = compute(&input(&[], &records, "2026-11-26"));
        let today = &stats.retention.today;
        assert_eq!(
            (today.young.passed, today.young.failed, today.young.rate),
            (1, 1, Some(50.0))
        );
        assert_eq!(
            (today.mature.passed, today.mature.failed, today.mature.rate),
            (1, 0, Some(100.0))
        );
        assert_eq!(stats.retention.yesterday.mature.failed, 1);
        assert_eq!(stats.retention.last_7_days.total.passed, 2);
        assert_eq!(stats.retention.last_7_days.total.failed, 2);
        assert_eq!(stats.retention.all_time.total.rate, Some(50.0));
        // Today: five grades of four cards, one of them new, one re-drill.
        assert_eq!(stats.today.reviews, 5);
        assert_eq!(stats.today.cards_reviewed, 4);
        assert_eq!(
            (stats.today.new_learnt, stats.today.redrills, stats.today.seconds),
            (1, 1, 50)
        );
        assert_eq!(stats.today.percent_correct, Some(80.0));
    }

    #[test]
    fn an_undone_grade_is_not_counted() {
        let young = state(6, "2026-11-20");
        let graded = record(1, "a", Kind::Review, 1, young, "2026-11-26T10:00:00+00:00");
        let mut undo = record(2, "a", Kind::Undo, 1, young, "2026-11-26T10:00:05+00:00");
        undo.undoes = Some(1);
        undo.undone_kind = Some(Kind::Review);
        undo.after = Some(young);
        let regraded = record(3, "a", Kind::Review, 5, young, "2026-11-26T10:00:09+00:00");
        let stats = compute(&input(&[], &[graded, undo, regraded], "2026-11-26"));
        assert_eq!(stats.today.reviews, 1);
        assert_eq!(stats.today.percent_correct, Some(100.0));
        assert_eq!(stats.retention.today.young.failed, 0);
        assert_eq!(stats.daily.last().unwrap().reviews, 1);
    }

    #[test]
    fn a_streak_follows_study_days_across_the_rollover_hour() {
        let young = state(6, "2026-10-01");
        let records = [
            // 01:30 on the 2nd counts for the 1st; 23:00 on the 2nd for the 2nd.
            record(1, "a", Kind::Review, 4, young, "2026-11-02T01:30:00+00:00"),
            record(2, "a", Kind::Review, 4, young, "2026-11-02T23:00:00+00:00"),
            record(3, "a", Kind::Review, 4, young, "2026-11-04T03:59:00+00:00"),
            // A gap on the 4th, then the 5th and 6th.
            record(4, "a", Kind::Review, 4, young, "2026-11-05T04:00:00+00:00"),
            record(5, "a", Kind::Review, 4, young, "2026-11-06T09:00:00+00:00"),
        ];
        let stats = compute(&input(&[], &records, "2026-11-07"));
        assert_eq!(
            stats.streak,
            Streak {
                current: 2,
                longest: 3
            }
        );
        let stats = compute(&input(&[], &records, "2026-11-06"));
        assert_eq!(stats.streak.current, 2);
        let stats = compute(&input(&[], &records, "2026-11-08"));
        assert_eq!(stats.streak.current, 0);
        let studied: Vec<NaiveDate> = stats
            .daily
            .iter()
            .filter(|d| d.reviews > 0)
            .map(|d| d.date)
            .collect();
        assert_eq!(
            studied,
            [
                day("2026-11-01"),
                day("2026-11-02"),
                day("2026-11-03"),
                day("2026-11-05"),
                day("2026-11-06")
            ]
        );
        assert_eq!(stats.daily.len(), 365);
        assert_eq!(stats.daily.last().unwrap().date, day("2026-11-08"));
    }

    #[test]
    fn the_forecast_counts_overdue_cards_today() {
        let cards = [
            card("overdue", "S", state(6, "2026-11-10")),
            card("today", "S", state(6, "2026-11-20")),
            card("tomorrow", "S", state(6, "2026-11-21")),
            card("later", "S", state(40, "2026-11-20")),
            card("new", "S", CardState::default()),
            Card {
                status: Status::Suspended,
                ..card("suspended", "S", state(6, "2026-11-20"))
            },
        ];
        let stats = compute(&input(&cards, &[], "2026-11-26"));
        assert_eq!(stats.forecast.len(), 30);
        assert_eq!(
            stats.forecast[0],
            Forecast {
                date: day("2026-11-26"),
                due: 2
            }
        );
        assert_eq!(stats.forecast[1].due, 1);
        assert_eq!(stats.forecast.iter().map(|f| f.due).sum::<usize>(), 3);
    }

    #[test]
    fn counts_sections_and_hardest_cards() {
        let new = CardState::default();
        let learning = review(&new, Grade::new(4).unwrap(), day("2026-11-25"));
        let mut leech = state(30, "2026-11-01");
        leech.lapses = 9;
        leech.ease = Ease::from_hundredths(130);
        let cards = [
            card("n", "Lecture 1", new),
            card("l", "Lecture 1", learning),
            card("y", "Lecture 2", state(6, "2026-11-25")),
            card("m", "Lecture 2", state(30, "2026-11-25")),
            card("x", "Lecture 2", leech),
            Card {
                status: Status::Retired,
                ..card("r", "Lecture 2", state(30, "2026-11-25"))
            },
        ];
        let stats = compute(&input(&cards, &[], "2026-11-26"));
        assert_eq!(
            stats.counts,
            Counts {
                total: 5,
                new: 1,
                learning: 1,
                young: 1,
                mature: 2,
                suspended: 0,
                leeches: 1
            }
        );
        assert_eq!(stats.sections.len(), 2);
        assert_eq!(
            (
                stats.sections[1].cards,
                stats.sections[1].mature_percent,
                stats.sections[1].lapses
            ),
            (3, 66.7, 9)
        );
        assert_eq!(stats.sections[0].average_ease, Some(2.5));
        assert_eq!(stats.hardest[0].id, "x");
        assert_eq!(stats.hardest.len(), 4);
        assert_eq!(stats.ease.iter().map(|b| b.cards).sum::<usize>(), 4);
        assert_eq!(stats.intervals[0].cards, 1);
    }
}
