//! Editing a workbook's zip package as a program that does not use a
//! spreadsheet might leave it: read its members, replace one member's XML,
//! write the package again.

use std::io::{Cursor, Read, Write};
use std::path::Path;

/// The members of a zip package, in order: (name, inflated bytes).
pub fn members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let name = file.name().unwrap().into_owned();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// A sound zip package of `members`, deflated, by the zip crate.
pub fn zip_members(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Rewrite the file at `path` with member `name`'s text edited by `edit`
/// (which must change it), every other member as it was.
pub fn patch(path: &Path, name: &str, edit: impl FnOnce(&str) -> String) {
    let mut all = members(&std::fs::read(path).unwrap());
    let member = all
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no member {name}"));
    let old = String::from_utf8(member.1.clone()).unwrap();
    let new = edit(&old);
    assert_ne!(old, new, "the patch of {name} changed nothing");
    member.1 = new.into_bytes();
    std::fs::write(path, zip_members(&all)).unwrap();
}

/// Delete the cached value (`<v>..</v>`) of the formula in cell `cell`
/// (`F7`) of a worksheet's XML, leaving `<f>` alone: what a file saved by a
/// program that does not calculate looks like.
pub fn drop_cached_value(xml: &str, cell: &str) -> String {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let end = start + xml[start..].find("</c>").unwrap();
    let element = &xml[start..end];
    assert!(element.contains("<f>"), "{cell} holds no formula: {element}");
    let v = element.find("<v>").expect("a cached value");
    let v_end = element.find("</v>").unwrap() + "</v>".len();
    format!("{}{}{}", &xml[..start + v], &element[v_end..], &xml[end..])
}
