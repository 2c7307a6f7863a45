//! Lessons (Hugo chapters with shortcodes) and quizzes (quizdown) as typed data.
