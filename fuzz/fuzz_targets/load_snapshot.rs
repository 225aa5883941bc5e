//! Any bytes as `collection.json`: a collection or an error with a message, never a panic;
//! what loads writes back and loads again to the same collection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::store::Collection;

fuzz_target!(|data: &[u8]| {
    let Ok(collection) = Collection::from_json(data) else { return };
    let mut written = Vec::new();
    collection.write(&mut written).expect("writing to memory works");
    let again = Collection::from_json(&written).expect("a written snapshot loads");
    assert_eq!(again, collection);
});
