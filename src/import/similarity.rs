//! When two questions are the same card: after normalising (Unicode NFKC, case folded, white
//! space collapsed, apostrophes inside words dropped and negative contractions spelled out, so
//! `doesn't`, `doesnt` and `does not` read alike), or, for a question that was edited, when
//! only typos were fixed or words added or removed. Changing a number, swapping one word for
//! another (`L1` to `L2`, `first` to `second`) or adding or dropping a negation (`does` to
//! `doesn't`) makes a different question, never an edit.

use std::collections::HashSet;

pub(crate) use crate::core::identity::{canonical, normalise, same_normalised};

/// The words that turn a question into its opposite.
const NEGATIONS: [&str; 3] = ["not", "no", "never"];

/// The negations among `words`, in order: two questions that differ here ask opposite things.
fn negations<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words.iter().copied().filter(|w| NEGATIONS.contains(w)).collect()
}

/// The words of a normalised text (letters and digits; punctuation separates).
pub(crate) fn words(normalised: &str) -> Vec<&str> {
    normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Questions longer than this are not compared word by word (the cost is quadratic).
const MAX_WORDS: usize = 200;
/// Words longer than this are only ever equal, never typos of each other.
const MAX_WORD_LENGTH: usize = 64;

/// How alike two questions are (their [`canonical`] words), from 0 to 1, when one could be an
/// edit of the other; `None` when the change replaces a word or a number, or adds or drops a
/// negation.
pub(crate) fn question_similarity(old: &[&str], new: &[&str]) -> Option<f64> {
    if old.len() > MAX_WORDS || new.len() > MAX_WORDS || old.is_empty() || new.is_empty() {
        return None;
    }
    if numbers(old) != numbers(new) || negations(old) != negations(new) {
        return None;
    }
    let matched = aligned_words(old, new)?;
    Some(2.0 * matched as f64 / (old.len() + new.len()) as f64)
}

/// How alike two answers are, from 0 to 1: the Dice coefficient of their word sets.
pub(crate) fn answer_similarity(old: &str, new: &str) -> f64 {
    let old_norm = normalise(old);
    let new_norm = normalise(new);
    let old: HashSet<&str> = words(&old_norm).into_iter().collect();
    let new: HashSet<&str> = words(&new_norm).into_iter().collect();
    if old.is_empty() && new.is_empty() {
        return 1.0;
    }
    2.0 * old.intersection(&new).count() as f64 / (old.len() + new.len()) as f64
}

fn numbers<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words
        .iter()
        .copied()
        .filter(|w| w.chars().any(|c| c.is_numeric()))
        .collect()
}

/// The number of words the two questions share in order, where a word with a typo fixed still
/// counts as shared. `None` when between two shared words one side lost words and the other
/// gained some: a word was swapped for another.
fn aligned_words(old: &[&str], new: &[&str]) -> Option<usize> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: words shared by old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if same_word(old[i], new[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut dropped, mut added) = (false, false);
    while i < n || j < m {
        if i < n && j < m && same_word(old[i], new[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            if dropped && added {
                return None;
            }
            (dropped, added) = (false, false);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added = true;
            j += 1;
        } else {
            dropped = true;
            i += 1;
        }
    }
    if dropped && added {
        return None;
    }
    Some(lcs[0][0])
}

/// Equal words, or the same word with a typo. Never for words of three letters or less, for
/// anything with a digit, or when the first letters differ (a new prefix is a new word:
/// `increase` and `decrease`, `supervised` and `unsupervised`). Up to six letters only a
/// letter left out, added or swapped with its neighbour (a changed letter makes another word:
/// `ReLU` and `SELU`); one edit of any kind for longer words; from eight letters two, unless
/// both change letters in place (`minimize` and `maximize`).
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (len_a, len_b) = (a.chars().count(), b.chars().count());
    let short = len_a.min(len_b);
    // Words this long are code or links, compared whole: the edit distance is quadratic.
    if len_a.max(len_b) > MAX_WORD_LENGTH {
        return false;
    }
    if short <= 3
        || a.chars().chain(b.chars()).any(|c| c.is_numeric())
        || a.chars().next() != b.chars().next()
    {
        return false;
    }
    if short <= 6 {
        let substitution_free = len_a != len_b || is_adjacent_swap(a, b);
        return substitution_free && edit_distance(a, b, 1) <= 1;
    }
    match edit_distance(a, b, 2) {
        0 | 1 => true,
        2 => short >= 8 && len_a != len_b,
        _ => false,
    }
}

/// True when `b` is `a` with two neighbouring letters swapped.
fn is_adjacent_swap(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let differ: Vec<usize> = (0..a.len().min(b.len())).filter(|&i| a[i] != b[i]).collect();
    a.len() == b.len()
        && matches!(differ.as_slice(), [i, j] if j == &(i + 1) && a[*i] == b[*j] && a[*j] == b[*i])
}

/// Damerau-Levenshtein distance (with adjacent swaps), stopping early above `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similarity(old: &str, new: &str) -> Option<f64> {
        let (old, new) = (canonical(old), canonical(new));
        question_similarity(&words(&old), &words(&new))
    }

    #[test]
    fn apostrophes_and_contractions_are_no_change() {
        for (a, b) in [
            ("Why doesnt X share memory?", "Why doesn't X share memory?"),
            ("Why wont it stop?", "Why won’t it stop?"),
            ("Why shouldnt we cache?", "Why shouldn't we cache?"),
            ("Why cant I fork?", "Why can't I fork?"),
            ("Why can't I fork?", "Why cannot I fork?"),
            ("Why dont threads copy?", "Why do not threads copy?"),
            ("What isnt a process?", "What is not a process?"),
            ("Whats a socket?", "What's a socket?"),
            ("What is the kernel's job?", "What is the kernels job?"),
        ] {
            assert_eq!(canonical(a), canonical(b), "{a} / {b}");
        }
        assert_eq!(canonical("Why doesn't X?"), "why does not x?");
        // Quotes around a word are punctuation, not part of it.
        assert_eq!(canonical("What is 'fork'?"), "what is 'fork'?");
        // Words that only end like a contraction stay as they are.
        assert_eq!(canonical("What is an event parent?"), "what is an event parent?");
    }

    #[test]
    fn a_negation_added_or_dropped_is_another_question() {
        assert_eq!(
            similarity(
                "Why does a child process inherit open files?",
                "Why doesn't a child process inherit open files?"
            ),
            None
        );
        assert_eq!(
            similarity("Is a thread a process?", "Is a thread not a process?"),
            None
        );
        assert_eq!(
            similarity("Which pages are ever evicted?", "Which pages are never evicted?"),
            None
        );
        assert_eq!(
            similarity("Is there a free lunch?", "Is there no free lunch?"),
            None
        );
        // The same negation, moved or kept, is an edit.
        assert!(similarity("Why can't a thread fork?", "Why can a thread not fork?").is_some());
        assert!(similarity("Why doesn't a procss fork?", "Why doesn't a process fork?").is_some());
    }

    #[test]
    fn comparisons_follow_the_normal_form() {
        assert_eq!(canonical(" What  IS\tit? "), canonical("what is it?"));
        assert_ne!(canonical("what is it?"), canonical("what is it"));
        assert!(same_normalised("Ｗhat\n is it?", "what is it?"));
        assert!(!same_normalised("what is it?", "what is i?"));
        assert_eq!(normalise("  a \n\t b  "), "a b");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn normalising_folds_case_width_and_white_space() {
        assert_eq!(normalise("  What  is\tＲｅＬＵ?\n"), "what is relu?");
        assert_eq!(normalise("Ångström"), normalise("A\u{30a}ngstro\u{308}m"));
    }

    #[test]
    fn typos_and_added_words_are_edits() {
        assert!(similarity("What is a recieved signal?", "What is a received signal?").unwrap() > 0.99);
        assert!(similarity("What is batch normalisation?", "What is batch normalization?").unwrap() > 0.99);
        assert!(similarity("What is dropout?", "What is inverted dropout?").unwrap() > 0.85);
        assert!(
            similarity(
                "Why use deep networks instead of logistic regression?",
                "Why use deep networks rather than logistic regression?"
            )
            .is_none()
        );
        assert!(similarity("What is a neurla network?", "What is a neural network?").is_some());
    }

    #[test]
    fn a_changed_number_or_short_word_is_never_an_edit() {
        assert_eq!(
            similarity("What is the L1 distance?", "What is the L2 distance?"),
            None
        );
        assert_eq!(
            similarity("What is the first step?", "What is the second step?"),
            None
        );
        assert_eq!(similarity("What are 3 factors?", "What are 4 factors?"), None);
        assert_eq!(similarity("Is a cat fast?", "Is a car fast?"), None);
        assert_eq!(similarity("What are 3 factors?", "What are three factors?"), None);
        // One changed letter in a short word is another word, not a typo.
        assert_eq!(
            similarity(
                "What is the derivative of ReLU?",
                "What is the derivative of SELU?"
            ),
            None
        );
        assert_eq!(similarity("When is a model wide?", "When is a model wise?"), None);
        assert!(
            similarity(
                "What is the derivative of ReLU?",
                "What is the derivative of RelU?"
            )
            .is_some()
        );
        assert!(similarity("When is a modle wide?", "When is a model wide?").is_some());
    }

    #[test]
    fn answers_compare_by_shared_words() {
        assert_eq!(answer_similarity("a b c", "a b c"), 1.0);
        assert!(
            (answer_similarity(
                "Better data. Better compute.",
                "Better data. Better compute. Lots of data."
            ) - 0.75)
                .abs()
                < 1e-9
        );
        assert_eq!(answer_similarity("x y", "z"), 0.0);
    }

    #[test]
    fn long_words_are_compared_whole_in_linear_time() {
        // Two 100,000-letter words once meant a table of ten billion cells.
        let a = format!("x{}", "a".repeat(100_000));
        let b = format!("x{}b", "a".repeat(99_999));
        assert!(!same_word(&a, &b));
        assert!(same_word(&a, &a.clone()));
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("neurla", "neural", 2), 1);
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
        assert_eq!(edit_distance("a", "abcdef", 2), 3);
    }
}
