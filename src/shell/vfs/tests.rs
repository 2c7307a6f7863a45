//! In-memory file system tests.

use super::*;

#[test]
fn resolve_handles_tilde_dots_and_relative_paths() {
    assert_eq!(
        resolve(ENVIRONMENT, "a.yaml"),
        "/home/learner/environment/a.yaml"
    );
    assert_eq!(resolve("/tmp", "~/x"), "/home/learner/x");
    assert_eq!(resolve("/tmp", "~"), "/home/learner");
    assert_eq!(resolve(ENVIRONMENT, "../../.."), "/");
    assert_eq!(resolve(ENVIRONMENT, "../../../../etc//./x/"), "/etc/x");
}

#[test]
fn write_then_read_and_append() {
    let mut vfs = Vfs::with_home();
    vfs.write(ENVIRONMENT, "a", "one\n", WriteMode::Truncate)
        .unwrap();
    vfs.write(ENVIRONMENT, "a", "two\n", WriteMode::Append)
        .unwrap();
    assert_eq!(vfs.read(ENVIRONMENT, "a").unwrap(), "one\ntwo\n");
    vfs.write(ENVIRONMENT, "a", "three\n", WriteMode::Truncate)
        .unwrap();
    assert_eq!(vfs.read(ENVIRONMENT, "~/environment/a").unwrap(), "three\n");
}

#[test]
fn paths_outside_home_are_read_only() {
    let mut vfs = Vfs::with_home();
    assert_eq!(
        vfs.write("/", "/etc/x", "", WriteMode::Truncate),
        Err(VfsError::PermissionDenied)
    );
    assert_eq!(
        vfs.mkdir("/", "/tmp/d", MkdirMode::Single),
        Err(VfsError::PermissionDenied)
    );
    assert_eq!(
        vfs.remove("/", "/home/learner", RemoveMode::Recursive),
        Err(VfsError::PermissionDenied)
    );
    assert_eq!(vfs.read("/", "/etc/x"), Err(VfsError::NotFound));
}

#[test]
fn missing_parents_and_directories_give_errno_words() {
    let mut vfs = Vfs::with_home();
    assert_eq!(
        vfs.write(ENVIRONMENT, "no/x", "", WriteMode::Truncate),
        Err(VfsError::NotFound)
    );
    assert_eq!(vfs.read(ENVIRONMENT, "."), Err(VfsError::IsADirectory));
    vfs.write(ENVIRONMENT, "f", "", WriteMode::Truncate)
        .unwrap();
    assert_eq!(vfs.read(ENVIRONMENT, "f/x"), Err(VfsError::NotADirectory));
    assert_eq!(
        vfs.mkdir(ENVIRONMENT, "f", MkdirMode::Single),
        Err(VfsError::AlreadyExists)
    );
    assert_eq!(VfsError::NotFound.to_string(), "No such file or directory");
}

#[test]
fn mkdir_parents_list_and_remove_recursively() {
    let mut vfs = Vfs::with_home();
    vfs.mkdir(ENVIRONMENT, "a/b/c", MkdirMode::Parents).unwrap();
    vfs.write(ENVIRONMENT, "a/b/f", "x", WriteMode::Truncate)
        .unwrap();
    vfs.write(ENVIRONMENT, "a/z", "y", WriteMode::Truncate)
        .unwrap();
    assert_eq!(vfs.list_dir(ENVIRONMENT, "a").unwrap(), vec!["b", "z"]);
    assert_eq!(vfs.list_dir(ENVIRONMENT, "a/b").unwrap(), vec!["c", "f"]);
    assert_eq!(
        vfs.remove(ENVIRONMENT, "a", RemoveMode::FileOnly),
        Err(VfsError::IsADirectory)
    );
    vfs.remove(ENVIRONMENT, "a", RemoveMode::Recursive).unwrap();
    assert!(!vfs.exists(ENVIRONMENT, "a/b/f"));
    assert_eq!(
        vfs.list_dir(ENVIRONMENT, ".").unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(vfs.total_bytes, 0);
}

#[test]
fn sizes_are_bounded() {
    let mut vfs = Vfs::with_home();
    let big = "x".repeat(MAX_FILE_BYTES);
    vfs.write(ENVIRONMENT, "big", &big, WriteMode::Truncate)
        .unwrap();
    assert_eq!(
        vfs.write(ENVIRONMENT, "big", "x", WriteMode::Append),
        Err(VfsError::FileTooLarge)
    );
    for i in 1..MAX_TOTAL_BYTES / MAX_FILE_BYTES {
        vfs.write(ENVIRONMENT, &format!("b{i}"), &big, WriteMode::Truncate)
            .unwrap();
    }
    assert_eq!(
        vfs.write(ENVIRONMENT, "last", &big, WriteMode::Truncate),
        Err(VfsError::NoSpace)
    );
}

#[test]
fn dev_null_swallows_and_reads_empty() {
    let mut vfs = Vfs::with_home();
    vfs.write("/", "/dev/null", "gone", WriteMode::Append)
        .unwrap();
    assert_eq!(vfs.read("/", "/dev/null").unwrap(), "");
}
