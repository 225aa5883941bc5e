#!/bin/sh
# Makes tests/data/v1-collection: a data directory written by the release before the log
# became the single truth (commit e478c19), used by the migration tests. It needs that
# release's binary as $1; the result is committed, so the tests need neither.
set -eu
RECALL=$1
OUT=$(cd "$(dirname "$0")/.." && pwd)/tests/data/v1-collection
NOTES=$(mktemp -d)
rm -rf "$OUT"
export RECALL_DIR="$OUT/data"
at() { RECALL_NOW=$1; export RECALL_NOW; shift; "$RECALL" "$@"; }
cat > "$NOTES/os.txt" <<'NOTES'
Operating Systems
Lecture 1 - Processes
What is a process?
A program in execution.
What does fork return in the child?
Zero.
Why does exec not return on success?
The calling program is replaced.
Lecture 2 - Threads
What is a thread?
A unit of scheduling within a process.
What is a race condition?
An outcome that depends on the timing of threads.
What is a mutex?
A lock that one thread holds at a time.
NOTES
cat > "$NOTES/db.md" <<'NOTES'
# Databases

## Lecture 1 - SQL

### What is a primary key?

A column set that identifies each row.

### What is a join?

Rows of two tables combined on a condition.

## Lecture 2 - Transactions

### What does ACID stand for?

Atomicity, consistency, isolation, durability.
NOTES
cat > "$NOTES/bio.txt" <<'NOTES'
Biology
What is a cell?
The smallest unit of life.
What is DNA?
The molecule of heredity.
NOTES
at 2026-03-02T09:00:00+00:00 import "$NOTES/os.txt" "$NOTES/db.md" "$NOTES/bio.txt" > /dev/null 2>&1
# Day 1: grade everything; fail one, undo one grade, bury one.
printf '\n5\n\n2\n\nu\n\n4\n\nb\n\n5\n\n5\n\n3\n\n5\n\n5\n\n4\n\n5\n\n5\n\n5\n\n5\n\n5\nq\n' | at 2026-03-02T10:00:00+00:00 review --plain > /dev/null
# Day 2 and later: review what is due.
for day in 03 04 05 08 09 12; do
  printf '\n4\n\n5\n\n1\n\n5\n\n4\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\n\n5\nq\n' | at 2026-03-${day}T10:00:00+00:00 review --plain > /dev/null
done
at 2026-03-12T11:00:00+00:00 deck rename Biology "Biology 101" > /dev/null
at 2026-03-12T11:00:00+00:00 deck suspend Databases --section "Lecture 2" > /dev/null
at 2026-03-12T11:00:00+00:00 deck set "Operating Systems" new-per-day 5 > /dev/null
id=$(at 2026-03-12T11:00:00+00:00 cards --deck "Operating Systems" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
at 2026-03-12T11:00:00+00:00 card suspend "$id" > /dev/null
id=$(at 2026-03-12T11:00:00+00:00 cards --deck "Operating Systems" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[1]["id"])')
at 2026-03-12T11:00:00+00:00 card reset "$id" --yes > /dev/null
# An edit: one question reworded, one removed (retired), one added.
sed -i 's/What is a mutex?/What is a mutex lock?/; /What is a race condition?/,+1d' "$NOTES/os.txt"
printf 'What is a semaphore?\nA counter with wait and signal.\n' >> "$NOTES/os.txt"
at 2026-03-13T09:00:00+00:00 import "$NOTES/os.txt" > /dev/null
cat > "$NOTES/gone.txt" <<'NOTES'
Removed Course
What is removed?
This deck.
NOTES
at 2026-03-13T09:00:00+00:00 import "$NOTES/gone.txt" > /dev/null
printf '\n5\n\n5\n\n5\nq\n' | at 2026-03-13T10:00:00+00:00 review --plain > /dev/null
at 2026-03-13T11:00:00+00:00 deck remove "Removed Course" --yes > /dev/null
printf '\n5\n\n0\n\n5\n\n5\nq\n' | at 2026-03-14T10:00:00+00:00 review --plain > /dev/null
# The notes files stay with the fixture so re-imports find them.
mkdir -p "$OUT/notes"
cp "$NOTES"/os.txt "$NOTES"/db.md "$NOTES"/bio.txt "$OUT/notes/"
rm -rf "$NOTES"
