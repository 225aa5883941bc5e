//! One collection on several devices through a git remote. Each device appends only to its
//! own log, so git never meets a conflict: a sync commits this device's new records, takes
//! the other devices' (rebasing this device's commit on theirs), and pushes. The caches, the
//! lock and the device id stay out of git (`.gitignore`). A synced folder needs no command:
//! opening the collection folds in whatever arrived in `logs/`.

mod git;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::Store;
use git::{BRANCH, Git};

/// How often a push rejected because another device pushed first is tried again.
const ATTEMPTS: usize = 5;

/// What a sync moved, by device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Moved {
    /// Records received from each other device: (reviews, other changes).
    pub(crate) received: BTreeMap<String, (usize, usize)>,
    /// Records of this device sent: (reviews, other changes).
    pub(crate) sent: (usize, usize),
}

/// Makes the data directory of `store`, which holds a collection, a git repository with the
/// remote `url`, takes what the remote has, and pushes.
pub(crate) fn init_with_collection(store: &mut Store, url: &str) -> Result<Moved> {
    let dir = store.paths().dir.clone();
    let git = Git::new(&dir);
    if git.is_repository() {
        return Err(Error::usage(format!(
            "{} is a git repository already: `recall sync` syncs it",
            dir.display()
        )));
    }
    store.write_ignore_files()?;
    git.run(&["init", "--quiet", "--initial-branch", BRANCH])?;
    // `--`: a URL that starts with a dash is still a URL, never an option of git's.
    git.run(&["remote", "add", "--", "origin", url])?;
    sync(store)
}

/// Clones the collection at `url` into the empty (or missing) directory `dir`.
pub(crate) fn clone_into(dir: &Path, url: &str) -> Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = dir
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = name.to_string_lossy();
    Git::new(parent).run(&[
        "clone", "--quiet", "--origin", "origin", "--branch", BRANCH, "--", url, &name,
    ])?;
    Ok(())
}

/// Commits this device's new records, takes the other devices' from the remote, and pushes;
/// a push another device beat is tried again on top of theirs.
pub(crate) fn sync(store: &mut Store) -> Result<Moved> {
    let dir = store.paths().dir.clone();
    let git = Git::new(&dir);
    if !git.is_repository() {
        return Err(Error::usage(format!(
            "{} is not set up to sync: `recall sync --init URL` makes it sync with a git remote",
            dir.display()
        )));
    }
    finish_what_a_killed_sync_left(&dir, &git)?;
    let mine = format!("logs/{}.jsonl", store.device());
    let before = log_sizes(&dir)?;
    let mut moved = Moved::default();
    git.run(&["add", "--", "logs", ".gitignore", ".stignore"])?;
    if !git.succeeds(&["diff", "--cached", "--quiet"])? {
        git.run(&[
            "commit",
            "--quiet",
            "-m",
            &format!("recall: records of {}", store.device()),
        ])?;
    }
    for attempt in 1..=ATTEMPTS {
        git.run(&["fetch", "--quiet", "origin"])?;
        let remote = format!("origin/{BRANCH}");
        let remote_exists = git.succeeds(&["rev-parse", "--verify", "--quiet", &remote])?;
        let sent_from = if remote_exists {
            remote_size(&git, &remote, &mine)
        } else {
            0
        };
        if remote_exists && !git.succeeds(&["rebase", "--quiet", &remote])? {
            let _ = git.run(&["rebase", "--abort"]);
            return Err(Error::usage(format!(
                "sync: this device's log and the remote's copy of it differ ({mine}); another device \
                 writes under this device's id. Give one of them another id (`RECALL_DEVICE`, or \
                 remove its device.json) and sync again"
            )));
        }
        if git.succeeds(&["push", "--quiet", "origin", &format!("HEAD:{BRANCH}")])? {
            git.run(&["branch", "--quiet", "--set-upstream-to", &remote])
                .or_else(|_| Ok::<_, Error>(String::new()))?;
            moved.sent = count_records(&dir.join(&mine), sent_from)?;
            break;
        }
        if attempt == ATTEMPTS {
            // The reason, in git's words.
            git.run(&["push", "--quiet", "origin", &format!("HEAD:{BRANCH}")])?;
        }
    }
    for (device, path) in crate::store::logs_in(&dir)? {
        if device == store.device() {
            continue;
        }
        let from = before.get(&device).copied().unwrap_or(0);
        let counts = count_records(&path, from)?;
        if counts != (0, 0) {
            moved.received.insert(device, counts);
        }
    }
    Ok(moved)
}

/// A sync killed mid-way may leave a rebase under way or git's index lock: both are git's
/// own, and no other sync runs while this one holds the collection's lock.
fn finish_what_a_killed_sync_left(dir: &Path, git: &Git) -> Result<()> {
    let git_dir = dir.join(".git");
    if git_dir.join("rebase-merge").exists() || git_dir.join("rebase-apply").exists() {
        let _ = git.run(&["rebase", "--abort"]);
    }
    let index_lock = git_dir.join("index.lock");
    if index_lock.exists() {
        std::fs::remove_file(&index_lock).map_err(|e| Error::io(&index_lock, e))?;
    }
    Ok(())
}

/// The size of each device's log.
fn log_sizes(dir: &Path) -> Result<BTreeMap<String, u64>> {
    Ok(crate::store::logs_in(dir)?
        .into_iter()
        .map(|(device, path)| (device, std::fs::metadata(&path).map_or(0, |m| m.len())))
        .collect())
}

/// The size of `path` in the commit `commit`, 0 when it has none.
fn remote_size(git: &Git, commit: &str, path: &str) -> u64 {
    git.run(&["cat-file", "-s", &format!("{commit}:{path}")])
        .ok()
        .and_then(|size| size.trim().parse().ok())
        .unwrap_or(0)
}

/// The records of the log at `path` from byte `from` on: (reviews, other changes).
fn count_records(path: &Path, from: u64) -> Result<(usize, usize)> {
    let mut counts = (0, 0);
    let mut warnings = Vec::new();
    crate::store::log::for_each_from(path, from, &mut warnings, |record| {
        if matches!(
            record.kind,
            crate::core::Kind::Review | crate::core::Kind::Redrill | crate::core::Kind::Cram
        ) {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    })?;
    Ok(counts)
}
