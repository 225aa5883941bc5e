//! Parse throughput on generated notes of 1, 10 and 50 MB (targets: plain text 100 MB/s,
//! Markdown 30 MB/s, time linear in size). Run with `cargo bench --bench parse`.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use recall::notes::{Options, markdown, text};

fn parse(c: &mut Criterion) {
    for megabytes in [1, 10, 50] {
        let bytes = megabytes * 1024 * 1024;
        let plain = common::text_notes(bytes);
        let md = common::markdown_notes(bytes);
        let mut group = c.benchmark_group(format!("parse_{megabytes}MB"));
        group.sample_size(10);
        group.throughput(Throughput::Bytes(plain.len() as u64));
        group.bench_function("text", |b| {
            b.iter(|| text::parse(&plain, "bench", &Options::default()))
        });
        group.throughput(Throughput::Bytes(md.len() as u64));
        group.bench_function("markdown", |b| {
            b.iter(|| markdown::parse(&md, "bench", &Options::default()))
        });
        group.finish();
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
