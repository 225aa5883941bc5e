//! SM-2 and the daily queue at scale (targets: today's queue from 1,000,000 cards with 100,000
//! due in under 100 ms; one review well under a microsecond). `cargo bench --bench scheduler`.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use recall::review::queue::{Options, Queue};
use recall::review::today::{DoneToday, Limits};
use recall::schedule::sm2::{self, CardState, Grade};

fn scheduler(c: &mut Criterion) {
    let cards = common::cards(1_000_000, 10);
    let today = common::today();
    let due = cards
        .iter()
        .filter(|c| c.state.due.is_some_and(|d| d <= today))
        .count();
    assert_eq!(due, 100_000);
    let limits = Limits {
        new_per_day: 20,
        reviews_per_day: 200,
        decks: Default::default(),
        schedule: Default::default(),
    };
    let mut group = c.benchmark_group("queue");
    group.sample_size(20);
    group.bench_function("build_1M_cards_100k_due", |b| {
        b.iter(|| Queue::build(&cards, today, &DoneToday::default(), &limits, &Options::default()))
    });
    let unlimited = Limits {
        new_per_day: usize::MAX,
        reviews_per_day: usize::MAX,
        decks: Default::default(),
        schedule: Default::default(),
    };
    group.bench_function("build_1M_cards_no_limits", |b| {
        b.iter(|| {
            Queue::build(
                &cards,
                today,
                &DoneToday::default(),
                &unlimited,
                &Options::default(),
            )
        })
    });
    group.finish();

    let state = CardState {
        repetitions: 4,
        interval: 40,
        ..CardState::default()
    };
    let grade = Grade::new(4).unwrap_or(Grade::ALL[4]);
    c.bench_function("sm2_review", |b| {
        b.iter(|| sm2::review(black_box(&state), black_box(grade), black_box(today)))
    });
}

criterion_group!(benches, scheduler);
criterion_main!(benches);
