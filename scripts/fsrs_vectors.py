#!/usr/bin/env python3
"""Generate FSRS-6 reference vectors for recall's FSRS scheduler tests.

The reference is the official Python package `fsrs` (py-fsrs), version 6.3.2:

    python3 -m pip install fsrs==6.3.2
    python3 scripts/fsrs_vectors.py            # writes tests/data/fsrs-vectors.json

Every sequence is replayed through
`fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)`,
so the card goes straight to the Review state after its first rating and every
later review (including Again) is a plain FSRS memory-state update followed by
a whole-day interval.  Reviews happen at 12:00 UTC so that elapsed times are
whole days.

The output is deterministic: one `random.Random(SEED)` drives every choice, and
fuzzing (the only randomness inside the package) is off.

Before writing, the script replays every sequence through a small independent
transcription of the FSRS-6 formulas (`independent_step` below, the way the
Rust side is expected to compute them, in f64) and stops if it disagrees with
the package by more than 1e-9 relative, or on any interval/due date.  That
check is what backs the formula notes in the header.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from datetime import date, datetime, timedelta, timezone
from importlib.metadata import version as package_version
from pathlib import Path

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

EXPECTED_VERSION = "6.3.2"
SEED = 20260601
OUT_DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "fsrs-vectors.json"

# How many sequences of each group.
N_DEFAULT = 226  # default parameters, desired retention 0.9 (6 of them hand-made)
N_RETENTION = 30  # default parameters, other desired retentions
N_PARAMS = 20  # perturbed parameters, desired retention 0.9
N_MAX_IVL = 8  # default parameters, small maximum_interval (clamping)

OTHER_RETENTIONS = (0.7, 0.8, 0.85, 0.95, 0.97)
SMALL_MAX_INTERVALS = (30, 90, 180, 365)

# fsrs-rs clips parameters in FSRS::new (src/parameter_clipper.rs); py-fsrs
# rejects values outside LOWER/UPPER_BOUNDS_PARAMETERS.  Perturbed parameters
# stay inside both, so both libraries use them unchanged.
RS_CLIP = [
    (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (0.001, 100.0),
    (1.0, 10.0), (0.001, 4.0), (0.001, 4.0), (0.001, 0.75),
    (0.0, 4.5), (0.0, 0.8), (0.001, 3.5), (0.001, 5.0),
    (0.001, 0.25), (0.001, 0.9), (0.0, 4.0), (0.0, 1.0),
    (1.0, 6.0), (0.0, 2.0), (0.0, 2.0), (0.0, 0.8), (0.1, 0.8),
]

NOON = 12
# fsrs-rs clamps stability to [0.001, 36500] (S_MIN/S_MAX in src/simulation.rs);
# py-fsrs only applies the 0.001 floor.  Sequences that go above are marked.
S_MAX_RS = 36500.0
# Steps whose unrounded interval is this close to x.5 are listed in the header:
# f32 arithmetic (fsrs-rs) may round them the other way.
HALF_TOLERANCE = 1e-3


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, NOON, tzinfo=timezone.utc)


# ---------------------------------------------------------------------------
# Independent transcription of the formulas (used only as a check).
# ---------------------------------------------------------------------------

def independent_step(w, dr, max_ivl, state, elapsed, rating):
    """Return (stability, difficulty, interval_raw, interval, retrievability_before)."""
    decay = -w[20]
    factor = 0.9 ** (1.0 / decay) - 1.0
    if state is None:
        s = max(w[rating - 1], 0.001)
        d = min(max(w[4] - math.exp(w[5] * (rating - 1)) + 1.0, 1.0), 10.0)
        r = None
    else:
        s0, d0 = state
        r = (1.0 + factor * elapsed / s0) ** decay
        if elapsed < 1:  # same day: short-term stability
            sinc = math.exp(w[17] * (rating - 3 + w[18])) * s0 ** (-w[19])
            if rating >= 2:
                sinc = max(sinc, 1.0)
            s = s0 * sinc
        elif rating == 1:
            s = min(
                w[11] * d0 ** (-w[12]) * ((s0 + 1.0) ** w[13] - 1.0) * math.exp((1.0 - r) * w[14]),
                s0 / math.exp(w[17] * w[18]),
            )
        else:
            hard = w[15] if rating == 2 else 1.0
            easy = w[16] if rating == 4 else 1.0
            s = s0 * (1.0 + math.exp(w[8]) * (11.0 - d0) * s0 ** (-w[9])
                      * (math.exp((1.0 - r) * w[10]) - 1.0) * hard * easy)
        s = max(s, 0.001)
        d_easy = w[4] - math.exp(w[5] * 3) + 1.0  # initial difficulty of Easy, unclamped
        damped = d0 + (10.0 - d0) * (-w[6] * (rating - 3)) / 9.0
        d = min(max(w[7] * d_easy + (1.0 - w[7]) * damped, 1.0), 10.0)
    raw = s / factor * (dr ** (1.0 / decay) - 1.0)
    ivl = min(max(round(raw), 1), max_ivl)  # Python round(): ties to even
    return s, d, raw, ivl, r


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------------------
# Sequence generation
# ---------------------------------------------------------------------------

FIRST_RATING_WEIGHTS = (0.2, 0.15, 0.45, 0.2)
LATER_RATING_WEIGHTS = (0.15, 0.15, 0.55, 0.15)


def pick_rating(rng: random.Random, first: bool) -> int:
    weights = FIRST_RATING_WEIGHTS if first else LATER_RATING_WEIGHTS
    return rng.choices((1, 2, 3, 4), weights=weights)[0]


def pick_next_day(rng: random.Random, last_day: date, due_day: date, same_day_bias: float):
    """Choose when the next review happens, relative to the due day."""
    interval = (due_day - last_day).days
    u = rng.random()
    if u < same_day_bias:
        return last_day, "same_day"
    u = rng.random()
    if u < 0.45:
        return due_day, "on_due"
    if u < 0.80:
        # late: mostly a little, sometimes a lot
        if rng.random() < 0.75:
            late = rng.randint(1, max(2, interval // 2 + 1))
        else:
            late = rng.randint(1, max(30, 3 * interval))
        return due_day + timedelta(days=late), "late"
    if interval >= 2:
        early = rng.randint(1, interval - 1)
        return due_day - timedelta(days=early), "early"
    return due_day, "on_due"


def random_start(rng: random.Random) -> date:
    return date(2024, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))


def perturbed_parameters(rng: random.Random):
    w = []
    for i, base in enumerate(DEFAULT_PARAMETERS):
        lo = max(LOWER_BOUNDS_PARAMETERS[i], RS_CLIP[i][0])
        hi = min(UPPER_BOUNDS_PARAMETERS[i], RS_CLIP[i][1])
        if base <= 0.002:  # tiny parameters (w7): perturb additively
            value = base + rng.uniform(0.0, 0.05)
        else:
            value = base * math.exp(rng.gauss(0.0, 0.2))
        w.append(round(min(max(value, lo), hi), 4))
    return w


def plan_random(rng: random.Random, n_reviews: int):
    """A plan is [(timing, rating)]: timing None (first review), "due", an int delta, or
    "random" (resolved while replaying by pick_next_day)."""
    return [(None if i == 0 else "random", pick_rating(rng, i == 0)) for i in range(n_reviews)]


def replay(scheduler: Scheduler, start: date, plan, rng: random.Random, same_day_bias: float):
    """Replay a plan through the reference; return the recorded steps."""
    card = Card(card_id=1, due=at_noon(start))
    steps = []
    last_day = None
    due_day = start
    for index, (timing, rating) in enumerate(plan):
        if index == 0:
            day, kind = start, "first"
        elif timing == "due":  # exactly on the due day
            day, kind = due_day, "on_due"
        elif isinstance(timing, int):  # explicit delta in days since the last review
            day = last_day + timedelta(days=timing)
            kind = "same_day" if timing == 0 else (
                "on_due" if day == due_day else ("early" if day < due_day else "late"))
        else:
            day, kind = pick_next_day(rng, last_day, due_day, same_day_bias)
        when = at_noon(day)
        r_before = None
        elapsed = None
        if card.last_review is not None:
            r_before = scheduler.get_card_retrievability(card, current_datetime=when)
            elapsed = (when - card.last_review).days
        card, _log = scheduler.review_card(card, Rating(rating), review_datetime=when)
        due = card.due.date()
        decay = -scheduler.parameters[20]
        factor = 0.9 ** (1.0 / decay) - 1.0
        raw = card.stability / factor * (scheduler.desired_retention ** (1.0 / decay) - 1.0)
        steps.append({
            "review_on": day.isoformat(),
            "timing": kind,
            "elapsed_days": elapsed,
            "rating": rating,
            "retrievability": r_before,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "interval_raw": raw,
            "interval": (due - day).days,
            "due": due.isoformat(),
        })
        last_day, due_day = day, due
    return steps


def check_sequence(seq):
    w = seq["parameters"]
    dr = seq["desired_retention"]
    max_ivl = seq["maximum_interval"]
    state = None
    for i, st in enumerate(seq["steps"]):
        s, d, raw, ivl, r = independent_step(w, dr, max_ivl, state, st["elapsed_days"], st["rating"])
        where = f"sequence {seq['id']} step {i}"
        assert close(s, st["stability"]), (where, "stability", s, st["stability"])
        assert close(d, st["difficulty"]), (where, "difficulty", d, st["difficulty"])
        assert close(raw, st["interval_raw"]), (where, "interval_raw", raw, st["interval_raw"])
        assert ivl == st["interval"], (where, "interval", ivl, st["interval"])
        due = date.fromisoformat(st["review_on"]) + timedelta(days=ivl)
        assert due.isoformat() == st["due"], (where, "due")
        if r is None:
            assert st["retrievability"] is None, where
        else:
            assert close(r, st["retrievability"]), (where, "retrievability")
        state = (s, d)


# Hand-made sequences: fixed ratings and deltas (days since the previous review).
HANDMADE = [
    # fsrs-rs src/inference.rs test_memory_state: ratings 1,3,3,3,3,3 at deltas
    # 0,0,1,3,8,21 with DEFAULT_PARAMETERS gives S=53.62691, D=6.3574867 (f32).
    ("fsrs-rs test_memory_state", [(0, 1), (0, 3), (1, 3), (3, 3), (8, 3), (21, 3)]),
    ("all easy, on due (long intervals, stability growth)", [(0, 4)] + [("due", 4)] * 14),
    ("all again, on due", [(0, 1)] + [("due", 1)] * 9),
    ("several reviews on the first day", [(0, 1), (0, 1), (0, 2), (0, 3), (0, 3), (1, 3), ("due", 3)]),
    ("hard then same-day good/easy", [(0, 2), (0, 3), (0, 4), ("due", 2), (0, 2), ("due", 3)]),
    ("lapse after a long interval, then recovery", [(0, 3), ("due", 3), ("due", 3), ("due", 3),
                                                     ("due", 1), (0, 3), ("due", 3), ("due", 3)]),
]


def build():
    rng = random.Random(SEED)
    sequences = []

    def add(group, scheduler, start, plan, note=None, same_day_bias=0.0):
        steps = replay(scheduler, start, plan, rng, same_day_bias)
        seq = {
            "id": len(sequences),
            "group": group,
            "desired_retention": scheduler.desired_retention,
            "maximum_interval": scheduler.maximum_interval,
            "parameters": list(scheduler.parameters),
            "start": start.isoformat(),
            "steps": steps,
        }
        if note:
            seq["note"] = note
        over = [i for i, st in enumerate(steps) if st["stability"] > S_MAX_RS]
        seq["first_step_over_36500"] = over[0] if over else None
        check_sequence(seq)
        sequences.append(seq)

    def scheduler(parameters=DEFAULT_PARAMETERS, dr=0.9, max_ivl=36500):
        return Scheduler(
            parameters=parameters,
            desired_retention=dr,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=max_ivl,
            enable_fuzzing=False,
        )

    default = scheduler()

    # Hand-made plans: "due" means on the due day; an int is an explicit delta.
    for note, items in HANDMADE:
        plan = [(None if j == 0 else timing, rating) for j, (timing, rating) in enumerate(items)]
        add("default", default, random_start(rng), plan, note=note)

    # Random plans, default parameters, desired retention 0.9.
    while len(sequences) < N_DEFAULT:
        n = rng.randint(1, 15)
        bias = 0.15 if rng.random() < 0.3 else 0.03  # ~30% of sequences lean on same-day reviews
        add("default", default, random_start(rng), plan_random(rng, n), same_day_bias=bias)

    for k in range(N_RETENTION):
        dr = OTHER_RETENTIONS[k % len(OTHER_RETENTIONS)]
        n = rng.randint(1, 15)
        add("retention", scheduler(dr=dr), random_start(rng), plan_random(rng, n), same_day_bias=0.05)

    for _ in range(N_PARAMS):
        w = perturbed_parameters(rng)
        n = rng.randint(2, 15)
        add("parameters", scheduler(parameters=w), random_start(rng), plan_random(rng, n),
            same_day_bias=0.05)

    for k in range(N_MAX_IVL):
        max_ivl = SMALL_MAX_INTERVALS[k % len(SMALL_MAX_INTERVALS)]
        n = rng.randint(8, 15)
        plan = [(None, 4)] + [("random", rng.choice((3, 4, 4))) for _ in range(n - 1)]
        add("maximum_interval", scheduler(max_ivl=max_ivl), random_start(rng), plan, same_day_bias=0.0)

    return sequences


def dumps(header, sequences) -> str:
    out = ["{"]
    for key, value in header.items():
        out.append(f" {json.dumps(key)}: {json.dumps(value)},")
    out.append(' "sequences": [')
    for i, seq in enumerate(sequences):
        head = {k: v for k, v in seq.items() if k != "steps"}
        out.append("  {" + json.dumps(head)[1:-1] + ', "steps": [')
        for j, st in enumerate(seq["steps"]):
            comma = "," if j + 1 < len(seq["steps"]) else ""
            out.append("   " + json.dumps(st) + comma)
        out.append("  ]}" + ("," if i + 1 < len(sequences) else ""))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT)
    parser.add_argument("--allow-other-version", action="store_true")
    args = parser.parse_args()

    found = package_version("fsrs")
    if found != EXPECTED_VERSION and not args.allow_other_version:
        sys.exit(f"fsrs {EXPECTED_VERSION} expected, found {found} (pip install fsrs=={EXPECTED_VERSION})")

    sequences = build()
    n_steps = sum(len(s["steps"]) for s in sequences)
    near_half = [
        [seq["id"], i]
        for seq in sequences
        for i, st in enumerate(seq["steps"])
        if abs(st["interval_raw"] - math.floor(st["interval_raw"]) - 0.5) < HALF_TOLERANCE
    ]
    header = {
        "algorithm": "FSRS-6 (21 parameters), whole-day reviews at 12:00 UTC, no learning/relearning steps, no fuzz",
        "reference": f"fsrs {found} (PyPI, py-fsrs): Scheduler(parameters, desired_retention, learning_steps=(), relearning_steps=(), maximum_interval, enable_fuzzing=False), review_card(card, rating, review_datetime)",
        "generator": "scripts/fsrs_vectors.py",
        "seed": SEED,
        "default_parameters": list(DEFAULT_PARAMETERS),
        "default_desired_retention": 0.9,
        "default_maximum_interval": 36500,
        "groups": {
            "default": "DEFAULT_PARAMETERS, desired_retention 0.9, maximum_interval 36500 (the first 6 are hand-made, see note)",
            "retention": "DEFAULT_PARAMETERS, desired_retention in " + str(list(OTHER_RETENTIONS)),
            "parameters": "perturbed parameters (recorded per sequence), desired_retention 0.9",
            "maximum_interval": "DEFAULT_PARAMETERS, mostly Good/Easy, maximum_interval in " + str(list(SMALL_MAX_INTERVALS)),
        },
        "fields": {
            "start": "day of the first review (the card is new before it)",
            "review_on": "study day of this review; the review happens at 12:00 UTC",
            "timing": "first | on_due | late | early | same_day (relative to the previous due day)",
            "elapsed_days": "whole days since the previous review (null for the first review); 0 = same-day review",
            "rating": "1 Again, 2 Hard, 3 Good, 4 Easy",
            "retrievability": "R just before this review: (1 + factor*elapsed_days/S_prev)^(-w20), factor = 0.9^(-1/w20) - 1; null for the first review",
            "stability": "S after the review (days)",
            "difficulty": "D after the review (1..10)",
            "interval_raw": "S/factor * (desired_retention^(-1/w20) - 1), before rounding",
            "interval": "whole days from review_on to due = min(max(round_half_even(interval_raw), 1), maximum_interval)",
            "due": "review_on + interval",
            "first_step_over_36500": "per sequence: index of the first step whose stability exceeds 36500 (py-fsrs has no upper clamp; fsrs-rs clamps S to 36500, so from there on it differs); null if none",
        },
        "formulas": {
            "first review": "S = max(w[r-1], 0.001); D = clamp(w4 - exp(w5*(r-1)) + 1, 1, 10)",
            "same day (elapsed_days = 0)": "S = S * sinc, sinc = exp(w17*(r-3+w18)) * S^(-w19), sinc = max(sinc, 1) when r >= 2; D updated as usual",
            "again (elapsed_days >= 1)": "S = min(w11 * D^(-w12) * ((S+1)^w13 - 1) * exp((1-R)*w14), S / exp(w17*w18))",
            "hard/good/easy (elapsed_days >= 1)": "S = S * (1 + exp(w8) * (11-D) * S^(-w9) * (exp((1-R)*w10) - 1) * (w15 if hard) * (w16 if easy))",
            "stability floor": "S = max(S, 0.001) after every update; py-fsrs has no upper clamp (fsrs-rs clamps S to 36500)",
            "difficulty": "D' = D + (10-D) * (-w6*(r-3)) / 9; D'' = w7 * (w4 - exp(3*w5) + 1) + (1-w7) * D'; D = clamp(D'', 1, 10)",
        },
        "rounding_sensitive_steps": near_half,
        "rounding_sensitive_note": f"[sequence id, step index] pairs whose interval_raw is within {HALF_TOLERANCE} of x.5; f32 arithmetic may round these the other way",
        "sequence_count": len(sequences),
        "step_count": n_steps,
        "python": sys.version.split()[0],
    }
    text = dumps(header, sequences)
    json.loads(text)  # sanity
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out} ({len(sequences)} sequences, {n_steps} steps, {len(text)} bytes)")


if __name__ == "__main__":
    main()
