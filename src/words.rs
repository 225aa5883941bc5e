//! Small pieces of English for messages.

/// `1 card`, `2 cards`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `"a", "b", "c"`: names as a user would type them, for messages.
pub fn quoted_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular() {
        assert_eq!(super::plural(1, "day"), "1 day");
        assert_eq!(super::plural(0, "day"), "0 days");
        assert_eq!(super::plural(12, "card"), "12 cards");
    }
}
