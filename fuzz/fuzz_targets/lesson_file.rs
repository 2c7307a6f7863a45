//! Any lesson file (Hugo chapter): loaded or rejected with file:line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = kubetutor::content::load_lesson("fuzz.md", &text);
    let _ = kubetutor::content::check_file("fuzz.md", &text);
    let _ = kubetutor::content::check_all("fuzz.md", &text, None);
});
