//! Outputs are written to a temporary file in the target folder and renamed
//! into place (SPEC 0), so an interrupted run never leaves a half-written
//! file, and a failed run leaves none. An existing file is never replaced
//! unless the user said `--force`; a missing folder is created. Messages name
//! the user's path, never the temporary file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} already exists: add --force to replace it, or choose another path", .0.display())]
    Exists(PathBuf),
    #[error("cannot create the folder {}: {why}", .folder.display())]
    Folder { folder: PathBuf, why: String },
    #[error("cannot write {}: {why}", .path.display())]
    Write { path: PathBuf, why: String },
}

/// What went wrong, in plain words, without the path of our temporary
/// file or the system's error code.
fn plain(e: &std::io::Error) -> String {
    crate::base::io_words::why(e, crate::base::io_words::Doing::Writing)
}

/// Write `bytes` to `path` atomically; with `replace` false, refuse a path
/// that exists.
///
/// # Errors
/// The path exists (and `replace` is false), its folder cannot be made, or
/// the file cannot be written; the message names `path`.
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
    prepare(path, bytes, replace)?.persist()
}

/// Write what `write` writes straight to a temporary file beside `path`,
/// then rename it into place (a large report is then never held whole in
/// memory). A failure of `write` is `Err(Ok(e))`; of the file, `Err(Err(_))`.
///
/// # Errors
/// As [`write_file`], or what `write` returns.
pub fn write_with<E>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<(), Result<E, WriteError>> {
    prepare_with(path, replace, write)?.persist().map_err(Err)
}

/// A file written in full to a temporary file beside its target, not yet
/// renamed into place: [`Prepared::persist`] does that, and dropping it
/// leaves nothing behind. The ledger's export commits between the two, so a
/// file finance may pay from never exists without its record.
pub struct Prepared {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    replace: bool,
}

/// Write `bytes` to a temporary file beside `path` (made durable), checking
/// first that `path` may be written.
///
/// # Errors
/// As [`write_file`].
pub fn prepare(path: &Path, bytes: &[u8], replace: bool) -> Result<Prepared, WriteError> {
    prepare_with(path, replace, |out| out.write_all(bytes)).map_err(|e| match e {
        Ok(e) => WriteError::Write {
            path: path.to_path_buf(),
            why: plain(&e),
        },
        Err(e) => e,
    })
}

/// The one way every output is begun: check `path` may be written (not a
/// folder; not a file that exists, unless `replace`), make its folder, then
/// `write` into a temporary file beside it, made durable. A failure of
/// `write` is `Err(Ok(e))`; of the file, `Err(Err(_))`.
fn prepare_with<E>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<Prepared, Result<E, WriteError>> {
    if path.is_dir() {
        return Err(Err(WriteError::Write {
            path: path.to_path_buf(),
            why: "it is a folder: give a file name".to_string(),
        }));
    }
    // A device, pipe or socket is never replaced, --force or not: renaming
    // over /dev/null or a named pipe would take it away from the machine.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file() && !m.is_symlink()) {
        return Err(Err(WriteError::Write {
            path: path.to_path_buf(),
            why: "it is not an ordinary file (a device, pipe or socket), so nothing is written over it: give a file name".to_string(),
        }));
    }
    if !replace && path.exists() {
        return Err(Err(WriteError::Exists(path.to_path_buf())));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        Err(WriteError::Folder {
            folder: dir.to_path_buf(),
            why: crate::base::io_words::folder_why(&e),
        })
    })?;
    let failed = |e: &std::io::Error| {
        Err(WriteError::Write {
            path: path.to_path_buf(),
            why: plain(e),
        })
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".yourchoice-").suffix(".tmp");
    // A temporary file is private (0600); the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let tmp = builder.tempfile_in(dir).map_err(|e| failed(&e))?;
    {
        let file = tmp.as_file();
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(Ok)?;
        out.flush().map_err(|e| failed(&e))?;
        file.sync_all().map_err(|e| failed(&e))?;
    }
    Ok(Prepared {
        tmp,
        path: path.to_path_buf(),
        replace,
    })
}

/// Check `path` may be written and hold an empty temporary file beside it,
/// for content that may only exist once something else is done (an export
/// recorded in the ledger): nothing that matters is on disk before
/// [`Prepared::fill_and_persist`].
///
/// # Errors
/// As [`write_file`].
pub fn reserve(path: &Path, replace: bool) -> Result<Prepared, WriteError> {
    prepare(path, &[], replace)
}

impl Prepared {
    /// Write `bytes` into the reserved file (made durable), then rename it
    /// into place.
    ///
    /// # Errors
    /// As [`write_file`].
    pub fn fill_and_persist(self, bytes: &[u8]) -> Result<(), WriteError> {
        let failed = |e: std::io::Error| WriteError::Write {
            path: self.path.clone(),
            why: plain(&e),
        };
        {
            let file = self.tmp.as_file();
            let mut out = std::io::BufWriter::new(file);
            out.write_all(bytes).map_err(failed)?;
            out.flush().map_err(failed)?;
            file.sync_all().map_err(failed)?;
        }
        self.persist()
    }

    /// Rename the file into place.
    ///
    /// # Errors
    /// The target appeared since (without `replace`), or the rename fails.
    pub fn persist(self) -> Result<(), WriteError> {
        let Prepared { tmp, path, replace } = self;
        let persisted = if replace {
            tmp.persist(&path)
        } else {
            // No clobbering even if the file appeared since the check.
            tmp.persist_noclobber(&path)
        };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.clone())
            } else {
                WriteError::Write {
                    path: path.clone(),
                    why: plain(&e.error),
                }
            }
        })?;
        // The rename itself made durable: a crash now cannot lose the file.
        #[cfg(unix)]
        if let Some(dir) = path.parent().map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        }) && let Ok(dir) = std::fs::File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Several files written as one set into a folder: each is written in full
/// into a hidden staging folder inside it, and only when every one is
/// written are they moved into place ([`Staging::commit`]). A failure, or a
/// run killed before the commit, leaves no file in place; the staging
/// folder of a killed run (its process gone) is removed by the next run
/// that stages into the same folder.
pub struct Staging {
    dir: tempfile::TempDir,
    replace: bool,
    files: Vec<(PathBuf, PathBuf)>,
}

/// The start of a staging folder's name; the process's ID follows.
const STAGING: &str = ".yourchoice-staging-";

impl Staging {
    /// Begin staging files for `folder` (made if missing).
    ///
    /// # Errors
    /// The folder cannot be made or written in.
    pub fn new(folder: &Path, replace: bool) -> Result<Staging, WriteError> {
        let failed = |e: &std::io::Error| WriteError::Folder {
            folder: folder.to_path_buf(),
            why: crate::base::io_words::folder_why(e),
        };
        std::fs::create_dir_all(folder).map_err(|e| failed(&e))?;
        sweep(folder);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING}{}-", std::process::id()))
            .tempdir_in(folder)
            .map_err(|e| failed(&e))?;
        Ok(Staging {
            dir,
            replace,
            files: Vec::new(),
        })
    }

    /// Write `bytes` for `path` (a file in the folder) into the staging
    /// folder, made durable.
    ///
    /// # Errors
    /// The file cannot be written; the message names `path`.
    pub fn add(&mut self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        let staged = self.dir.path().join(format!("{}.tmp", self.files.len()));
        let failed = |e: &std::io::Error| WriteError::Write {
            path: path.to_path_buf(),
            why: plain(e),
        };
        let mut file = std::fs::File::create(&staged).map_err(|e| failed(&e))?;
        file.write_all(bytes).map_err(|e| failed(&e))?;
        file.sync_all().map_err(|e| failed(&e))?;
        self.files.push((staged, path.to_path_buf()));
        Ok(())
    }

    /// Move every staged file into place, then make the moves durable.
    /// Without `replace`, a file that appeared meanwhile is not replaced,
    /// and on any failure the files placed so far are taken back; with
    /// `replace`, the files before a failure stay replaced (what they
    /// replaced is gone).
    ///
    /// # Errors
    /// A file could not be moved.
    pub fn commit(self) -> Result<(), WriteError> {
        let mut placed: Vec<&Path> = Vec::with_capacity(self.files.len());
        let result = self.place(&mut placed);
        if result.is_err() && !self.replace {
            // Without `replace` every file placed was new: take them back,
            // so a name taken meanwhile leaves none of the set in place.
            for path in placed {
                let _ = std::fs::remove_file(path);
            }
        }
        result
    }

    /// Move the files into place, noting each one placed.
    fn place<'a>(&'a self, placed: &mut Vec<&'a Path>) -> Result<(), WriteError> {
        for (staged, path) in &self.files {
            let failed = |e: &std::io::Error| WriteError::Write {
                path: path.clone(),
                why: plain(e),
            };
            if self.replace {
                std::fs::rename(staged, path).map_err(|e| failed(&e))?;
            } else {
                // A link fails where the name is taken: nothing replaced.
                std::fs::hard_link(staged, path).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        WriteError::Exists(path.clone())
                    } else {
                        failed(&e)
                    }
                })?;
                let _ = std::fs::remove_file(staged);
            }
            placed.push(path);
        }
        #[cfg(unix)]
        if let Some(parent) = self.dir.path().parent()
            && let Ok(dir) = std::fs::File::open(parent)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Remove the staging folders in `folder` of runs whose process is gone
/// (killed before their commit).
fn sweep(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(STAGING)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<i32>().ok())
        else {
            continue;
        };
        if !alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process of this ID is running (signal 0 checks without
/// sending anything).
fn alive(pid: i32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: kill with signal 0 sends nothing; it only checks.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn a_device_is_never_written_over_even_with_force() {
        let dev = std::path::Path::new("/dev/null");
        let err = write_file(dev, b"x", true).unwrap_err().to_string();
        assert!(err.contains("not an ordinary file"), "{err}");
        assert!(
            std::fs::metadata(dev).is_ok_and(|m| !m.is_file()),
            "/dev/null is still a device"
        );
    }

    use super::*;

    #[test]
    fn refuses_to_replace_without_leave_and_names_only_the_users_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.csv");
        write_file(&path, b"one", false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        let err = write_file(&path, b"two", false).unwrap_err().to_string();
        assert!(err.ends_with("out.csv already exists: add --force to replace it, or choose another path"));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_file(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }
}
