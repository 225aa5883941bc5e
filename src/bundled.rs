//! The notes that ship with the program, so a first `recall` has something to review.

/// The example deck: a real student's computer-vision notes.
pub const NOTES: &str = include_str!("../decks/eecs498-computer-vision.txt");

/// The file name the bundled notes get in the data directory, where they can be edited.
pub const FILE_NAME: &str = "eecs498-computer-vision.txt";
