//! LaTeX math in card text: finding formulas and showing them as Unicode never panics, the
//! formulas found are in order, apart and inside the text, text without `$` or `\` is shown
//! as it is, and the Unicode form grows at most a bounded number of times the source (a
//! handful of characters per command), so no input makes the work or the output explode.
//! Inputs that start with a digit are expanded (the rest repeated that many hundred times), so
//! the time limit catches work that grows faster than the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::notes::math;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let expanded;
    let text = match input.as_bytes().first() {
        Some(&digit @ b'0'..=b'9') => {
            expanded = input[1..].repeat(usize::from(digit - b'0') * 100);
            expanded.as_str()
        }
        _ => input,
    };

    let mut end = 0;
    for span in math::spans(text) {
        assert!(end <= span.outer.start, "formulas overlap in {text:?}");
        assert!(span.outer.start <= span.latex.start && span.latex.end <= span.outer.end);
        assert!(text.get(span.outer.clone()).is_some(), "{:?} cuts a character", span.outer);
        end = span.outer.end;
    }

    let shown = math::render(text);
    if !text.contains(['$', '\\']) {
        assert_eq!(shown, text);
    }
    assert!(shown.len() <= 8 * text.len() + 8, "{} bytes from {}", shown.len(), text.len());
    let unicode = math::to_unicode(text);
    assert!(unicode.len() <= 8 * text.len() + 8, "{} bytes from {}", unicode.len(), text.len());
    assert!(math::dollars_in_markdown(text).len() <= text.len());
});
