//! The client map: a provider's references for the people it visits (the
//! `ServiceUserRef` of an Abacus file, a rostering system's client ID)
//! to the council's Person IDs, for a visit file that does not use the
//! council's IDs. A CSV `Client reference,Person ID`, matched ignoring
//! case and spaces as every council CSV is.

use std::collections::HashMap;
use std::path::Path;

use crate::base::limits::MAX_COUNCIL_FILE_BYTES;
use crate::model::settings::person_key;
use crate::read::cell::quoted;
use crate::read::council::csv_file::{Csv, plain_key};
use crate::read::council::{read_bytes, text_of};
use crate::read::settings_error::{Problems, SettingsError};

/// Read the client map at `path`: each client reference, as a key
/// ([`person_key`]: trimmed, upper case), to its Person ID as written
/// (trimmed). A client on two lines with the same Person ID is kept once.
///
/// # Errors
/// The file cannot be read, its header lacks a column, or lines are wrong:
/// a blank value, a character that does not show, or a client given two
/// different Person IDs (both lines named). Every bad line is listed.
///
/// # Examples
/// ```no_run
/// let clients = yourchoice::read::visits::read_clients(std::path::Path::new("clients.csv"))?;
/// let person = clients.get("C-1001");
/// # Ok::<(), yourchoice::read::SettingsError>(())
/// ```
pub fn read_clients(path: &Path) -> Result<HashMap<String, String>, SettingsError> {
    let file = path.display().to_string();
    let text = text_of(read_bytes(path, MAX_COUNCIL_FILE_BYTES)?, &file)?;
    parse_clients(&text, &file)
}

/// [`read_clients`] of a client map's text.
pub(super) fn parse_clients(text: &str, file: &str) -> Result<HashMap<String, String>, SettingsError> {
    let mut csv = Csv::open(text, file, &["Client reference", "Person ID"])?;
    let mut problems = Problems::new(file);
    let mut clients: HashMap<String, (String, u64)> = HashMap::new();
    while let Some(line) = csv.next() {
        let (line, fields) = match line {
            Ok(l) => l,
            Err(e) => {
                problems.add_error(e);
                continue;
            }
        };
        let [client, person] = fields.as_slice() else {
            problems.add(line, "the line does not have the columns of the header".into());
            continue;
        };
        let blank: Vec<&str> = [("Client reference", client), ("Person ID", person)]
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(n, _)| *n)
            .collect();
        if !blank.is_empty() {
            problems.add(
                line,
                format!(
                    "the {} is blank: give both on every line",
                    blank.join(" and the ")
                ),
            );
            continue;
        }
        if let Err(why) = plain_key("Client reference", client).and_then(|()| plain_key("Person ID", person))
        {
            problems.add(line, why);
            continue;
        }
        let key = person_key(client);
        match clients.get(&key) {
            Some((id, _)) if person_key(id) == person_key(person) => {}
            Some((id, first)) => problems.add(
                line,
                format!(
                    "the client {} is given the Person ID {} here and {} on line {first}: a client is one person; correct the line that is wrong",
                    quoted(client),
                    quoted(person),
                    quoted(id)
                ),
            ),
            None => {
                clients.insert(key, (person.clone(), line));
            }
        }
    }
    problems.finish()?;
    Ok(clients.into_iter().map(|(k, (id, _))| (k, id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_by_key_and_a_client_given_two_people() {
        let got = parse_clients("Client reference,Person ID\nc-1, P1\nC-2,P2\n C-1 ,p1\n", "c.csv").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got["C-1"], "P1");
        let e = parse_clients("Client Reference,Person ID\nC-1,P1\nC-2,\nc-1,P9\n", "c.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("c.csv:3: the Person ID is blank"), "{e}");
        assert!(
            e.contains("c.csv:4: the client \"c-1\" is given the Person ID \"P9\" here and \"P1\" on line 2"),
            "{e}"
        );
    }
}
