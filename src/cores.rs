//! How many cores the work of a command may be split over.

use std::sync::OnceLock;

/// The cores this process may use, asked of the system once: the answer reads the control
/// group's files each time it is asked.
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
