//! SQLite serves one server process (issue 11, item 2): the store takes an exclusive lock on a
//! file next to the database (`checkout.db.lock`) when it opens, and a second process opening the
//! same database is refused at start with a message naming the file. The lock is the operating
//! system's (`flock` on Unix, through `File::try_lock`), so it goes away with the process, even
//! when it is killed: no stale lock to clean up.
//!
//! Why refuse rather than share: the orders of one account are serialised by a lock in the
//! process and by the account's version in the database; SQLite would keep the data correct, but
//! its one writer at a time and `busy_timeout` would turn a second process's writes into waits
//! and `database is locked` errors. Several processes are what PostgreSQL is for.
//!
//! Within one process the lock is shared: opening the same database again (tests do) reuses it.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::StoreError;

/// The lock of one SQLite database, held while any store of this process has it open.
#[derive(Debug)]
pub(crate) struct DatabaseLock {
    _file: File,
}

/// The locks this process holds, by lock file path, so a second store of the same database in
/// this process shares the first one's lock instead of being refused by it.
static HELD: Mutex<Option<HashMap<PathBuf, Weak<DatabaseLock>>>> = Mutex::new(None);

/// Takes the lock of the SQLite database at `path` (the lock file is `path` with `.lock`
/// appended), or answers [`StoreError::InUse`] when another process holds it.
pub(crate) fn lock_database(path: &Path) -> Result<Arc<DatabaseLock>, StoreError> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)?;
    // The same file reached by another path (a symlink, `./`) is still one database.
    let key = lock_path.canonicalize()?;
    let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
    let held = held.get_or_insert_with(HashMap::new);
    if let Some(lock) = held.get(&key).and_then(Weak::upgrade) {
        return Ok(lock);
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(StoreError::InUse(key)),
        Err(TryLockError::Error(error)) => return Err(StoreError::Io(error)),
    }
    let lock = Arc::new(DatabaseLock { _file: file });
    held.retain(|_, lock| lock.strong_count() > 0);
    held.insert(key, Arc::downgrade(&lock));
    Ok(lock)
}
