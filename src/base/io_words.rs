//! What went wrong with a file, in plain words: the one place an
//! operating-system error becomes a sentence a user can act on, never its
//! code ("(os error 13)"). Readers, writers and the binary's last word on
//! an error all go through here, so every command says the same thing.

use std::io::{Error, ErrorKind};

/// What the tool was doing with the file when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    /// Opening or reading a file the user gave.
    Reading,
    /// Writing an output (or making its folder).
    Writing,
}

/// Why `e` happened and what to do, in words, for a message that has
/// already named the file: `cannot write out.csv: {why}`.
pub fn why(e: &Error, doing: Doing) -> String {
    let text = match (e.kind(), doing) {
        (ErrorKind::NotFound, Doing::Reading) => "there is no such file: check the name and folder",
        (ErrorKind::NotFound, Doing::Writing) => {
            "its folder does not exist (or was removed meanwhile): check the path"
        }
        (ErrorKind::PermissionDenied, Doing::Reading) => {
            "this user may not open it: check the file's permissions, or copy it somewhere you can read"
        }
        (ErrorKind::PermissionDenied, Doing::Writing) => {
            "this user may not write there: choose a folder you can write to"
        }
        (ErrorKind::IsADirectory, Doing::Reading) => "it is a folder, not a file: name the file itself",
        (ErrorKind::IsADirectory, Doing::Writing) => "it is a folder: give a file name",
        (ErrorKind::NotADirectory, _) => "part of the path is a file, not a folder: check the path",
        (ErrorKind::StorageFull, _) => "the disk is full: free some space, or choose another disk",
        (ErrorKind::QuotaExceeded, _) => {
            "this user's disk quota is used up: free some space, or choose another disk"
        }
        (ErrorKind::FileTooLarge, _) => "the file would be larger than the disk allows: choose another disk",
        (ErrorKind::ReadOnlyFilesystem, _) => {
            "the disk is read-only: choose a folder on a disk you can write to"
        }
        (ErrorKind::AlreadyExists, _) => {
            "a file of that name already exists: add --force to replace it, or choose another path"
        }
        (ErrorKind::InvalidFilename, _) => {
            "the name is not one the system accepts (too long, or a character it forbids): choose a shorter, plainer name"
        }
        (ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy, _) => {
            "another program is using it: close the file in that program, then run this again"
        }
        (ErrorKind::CrossesDevices, _) => "it is on another disk than its folder: choose another folder",
        (ErrorKind::StaleNetworkFileHandle | ErrorKind::NetworkDown | ErrorKind::HostUnreachable, _) => {
            "the network drive it is on cannot be reached: check the connection, or use a local copy"
        }
        (ErrorKind::Interrupted | ErrorKind::TimedOut | ErrorKind::WouldBlock, _) => {
            "the system did not finish it in time: run this again"
        }
        (ErrorKind::UnexpectedEof | ErrorKind::InvalidData, _) => {
            "its contents could not be read as they should be: check it is the right file, saved in full"
        }
        _ => return without_code(&e.to_string()),
    };
    text.to_string()
}

/// Why a folder for an output could not be made: as [`why`] for a file
/// being written, except that a file where the folder (or a folder above
/// it) would be is said as such, not as a file to replace.
pub fn folder_why(e: &Error) -> String {
    match e.kind() {
        ErrorKind::AlreadyExists | ErrorKind::NotADirectory => {
            "a file of that name is in the way, where the folder would be: choose another folder".to_string()
        }
        _ => why(e, Doing::Writing),
    }
}

/// `text` without the operating system's "(os error N)" and the quotes
/// some libraries put round it: the safety net for any message that
/// carries an error from a library this module has not seen.
pub fn without_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" (os error ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " (os error ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if after[digits..].starts_with(')') {
            rest = &after[digits + 1..];
        } else {
            out.push_str(" (os error ");
            rest = after;
        }
    }
    out.push_str(rest);
    let mut out = out.trim().to_string();
    if let Some(first) = out.get(..1)
        && first.chars().all(char::is_uppercase)
    {
        out = first.to_lowercase() + &out[1..];
    }
    out
}

/// The message of an error chain (`{:#}`) as a user should read it: each
/// operating-system error in plain words ([`why`]: as for a file being
/// read when the words before it say "read", "open" or "load", else as
/// for one being written), every "(os error N)" gone.
pub fn chain_text(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in err.chain() {
        let part = match e.downcast_ref::<Error>() {
            Some(io) => {
                let reading = parts
                    .last()
                    .is_some_and(|last| ["read", "open", "load"].iter().any(|w| last.contains(w)));
                why(io, if reading { Doing::Reading } else { Doing::Writing })
            }
            None => without_code(&e.to_string()),
        };
        // A wrapper that repeats its source's words adds nothing.
        if parts
            .last()
            .is_some_and(|last| last.ends_with(&part) || last.contains(&part))
        {
            continue;
        }
        parts.push(part);
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_code_reaches_the_user() {
        let e = Error::from_raw_os_error(2);
        assert!(!why(&e, Doing::Reading).contains("os error"));
        assert_eq!(
            why(&e, Doing::Reading),
            "there is no such file: check the name and folder"
        );
        assert_eq!(
            why(&Error::from_raw_os_error(28), Doing::Writing),
            "the disk is full: free some space, or choose another disk"
        );
        assert_eq!(
            without_code("Temporary file error: '/x: No such file or directory (os error 2)'"),
            "temporary file error: '/x: No such file or directory'"
        );
        assert_eq!(without_code("odd (os error x"), "odd (os error x");
    }

    #[test]
    fn a_chain_in_plain_words() {
        let err = anyhow::Error::new(Error::from_raw_os_error(13)).context("cannot write a.csv");
        assert_eq!(
            chain_text(&err),
            "cannot write a.csv: this user may not write there: choose a folder you can write to"
        );
    }
}
