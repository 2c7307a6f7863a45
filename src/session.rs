//! The UI-free tutor core: cluster, shell, lesson cursor and progress.
