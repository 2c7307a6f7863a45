//! Any quizdown file: loaded or rejected with file:line, then scored and shuffled.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(quiz) = kubetutor::content::load_quiz("fuzz.md", &text, 1) {
        let _ = kubetutor::content::presentation(&quiz, 7);
        let _ = kubetutor::content::score(&quiz, &[]);
    }
});
