//! The visit readers (issue 23) on files written here: Abacus's
//! service-delivery CSV (with and without its header) and XML, a mapped
//! CSV and a mapped workbook through the shipped example mappings, the
//! client map; each visit read checked field by field (durations worked
//! out by hand, in seconds) and each problem by the line it names.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use rust_xlsxwriter::{Format, Workbook};
use yourchoice::base::units::Hours;
use yourchoice::model::visits::{Visit, VisitStatus, Visits};
use yourchoice::read::visits::{read_clients, read_mapping, read_visit_file, read_visits};

use crate::common::files::root;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
}

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn secs(s: i64) -> Option<Hours> {
    Some(Hours::from_seconds(s))
}

/// A completed visit of one carer, nothing amended, with no end time.
fn visit(client: &str, date: NaiveDate, start: Option<NaiveTime>, seconds: i64, source: &str) -> Visit {
    Visit {
        client: client.into(),
        date,
        start,
        end: None,
        duration: secs(seconds),
        status: VisitStatus::Completed,
        carer: None,
        carers: 1,
        manually_amended: false,
        reference: None,
        whole_week: false,
        secondary: false,
        source: source.into(),
    }
}

fn problems(v: &Visits) -> Vec<(&str, &str)> {
    v.problems
        .iter()
        .map(|p| (p.source.as_str(), p.message.as_str()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn mapping(name: &str) -> PathBuf {
    root().join("examples/visits/mappings").join(name)
}

const ABACUS_HEADER: &str = "FileReference,Description,Created,ProviderRef,ContractNumber,ServiceUserRef,ServiceUserDetails,WeekEnding,OurRef,ServiceUserContribution,PaymentClaimed,ServiceType,VisitDate,StartTimeClaimed,DurationClaimed,ActualStartTime,ActualDuration,SecondaryVisit,NumberOfCarers,OrderRef,ManuallyAmended,VisitCode,CareWorkerRef,CareWorkerName";

/// One Abacus line: the fields before `ServiceUserRef` and between it and
/// `VisitDate` are the file's and do not matter here.
fn abacus_line(client: &str, date: &str, claimed: (&str, &str), actual: (&str, &str), rest: &str) -> String {
    format!(
        "F7,April visits,2026-04-13T10:00:00,PR1,CN1,{client},\"Jones, Ann\",12/04/2026,,0,,HOME CARE,{date},{},{},{},{},{rest}",
        claimed.0, claimed.1, actual.0, actual.1
    )
}

#[test]
fn abacus_csv_with_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        ABACUS_HEADER.to_string(),
        // 2: 08:05 for 35 min, care worker's reference and name.
        abacus_line(
            "C1",
            "06/04/2026",
            ("08:00:00", "00:30:00"),
            ("08:05:00", "00:35:00"),
            "False,1,O1,False,,CW1,Ann Carer",
        ),
        // 3 and 4: a double-handed visit, a line per carer: the primary
        // says 2 carers, the secondary line is the second.
        abacus_line(
            "C2",
            "07/04/2026",
            ("09:00:00", "01:00:00"),
            ("09:02:00", "01:00:00"),
            "False,2,O2,True,,CW2,",
        ),
        abacus_line(
            "C2",
            "07/04/2026",
            ("09:00:00", "01:00:00"),
            ("09:04:00", "00:55:30"),
            "True,2,O2,False,,,Bob Carer",
        ),
        String::new(),
        // 6: cancelled by its VisitCode, no duration at all.
        abacus_line(
            "C3",
            "08/04/2026",
            ("10:00:00", ""),
            ("", ""),
            "False,,O3,False,CANCELLED,,",
        ),
        // 7: a date that does not exist.
        abacus_line(
            "C3",
            "31/04/2026",
            ("10:00:00", "00:30:00"),
            ("10:00:00", "00:30:00"),
            "False,1,O3,False,,,",
        ),
        // 8: no actual duration, only the claimed one: refused.
        abacus_line(
            "C1",
            "09/04/2026",
            ("18:00:00", "00:45:00"),
            ("", ""),
            "False,,O1,False,,,",
        ),
        // 9: a bare number of minutes, and an unknown flag.
        abacus_line(
            "C1",
            "10/04/2026",
            ("18:00:00", "00:45:00"),
            ("18:00:00", "45"),
            "Maybe,1,O1,False,,,",
        ),
        // 10: a line short of columns.
        "F7,April visits,2026-04-13T10:00:00,PR1,CN1,C1".to_string(),
    ];
    let path = write(dir.path(), "abacus.csv", &(lines.join("\r\n") + "\r\n"));
    let got = read_visit_file(&path, None);
    let src = |n: u32| format!("{}:{n}", path.display());
    let mut v2 = visit("C1", day(6), Some(at(8, 5)), 35 * 60, &src(2));
    v2.carer = Some("CW1".into());
    let mut v3 = visit("C2", day(7), Some(at(9, 2)), 3600, &src(3));
    v3.carer = Some("CW2".into());
    v3.manually_amended = true;
    let mut v4 = visit("C2", day(7), Some(at(9, 4)), 55 * 60 + 30, &src(4));
    v4.carer = Some("Bob Carer".into());
    v4.secondary = true;
    let mut v6 = visit("C3", day(8), Some(at(10, 0)), 0, &src(6));
    v6.duration = None;
    v6.status = VisitStatus::Cancelled;
    assert_eq!(got.visits, [v2, v3, v4, v6]);
    let p = problems(&got);
    assert_eq!(p.len(), 4, "{p:#?}");
    // 8: only the claimed (planned) length: never counted as delivered.
    let eight = p.iter().find(|(s, _)| *s == src(8)).unwrap();
    assert!(
        eight
            .1
            .contains("only the DurationClaimed (00:45:00, the planned length)"),
        "{}",
        eight.1
    );
    let p: Vec<_> = p.into_iter().filter(|(s, _)| *s != src(8)).collect();
    assert_eq!(p[0].0, src(7));
    assert_eq!(
        p[0].1,
        "the VisitDate \"31/04/2026\" is not a date: write it day first, DD/MM/YYYY (06/04/2026), or YYYY-MM-DD (2026-04-06)"
    );
    assert_eq!(p[1].0, src(9));
    assert!(
        p[1].1
            .starts_with("the ActualDuration \"45\" is a bare number: minutes or hours?"),
        "{}",
        p[1].1
    );
    assert!(
        p[1].1
            .contains("; the SecondaryVisit \"Maybe\" is neither yes nor no"),
        "{}",
        p[1].1
    );
    assert_eq!(p[2].0, src(10));
    assert!(
        p[2].1.starts_with("the line has 6 values, not the 24"),
        "{}",
        p[2].1
    );
}

#[test]
fn abacus_csv_without_a_header_and_a_moved_header() {
    let line = abacus_line(
        "C9",
        "2026-04-06",
        ("07:00:00", "00:15:00"),
        ("07:00:00", "00:20:00"),
        "False,1,O9,1,,,",
    );
    let got = read_visits("nohead.csv", line.as_bytes(), None);
    let mut v = visit("C9", day(6), Some(at(7, 0)), 20 * 60, "nohead.csv:1");
    v.manually_amended = true;
    assert_eq!(got.visits, [v]);
    assert!(got.problems.is_empty());

    let moved = ABACUS_HEADER.replace("VisitDate,StartTimeClaimed", "StartTimeClaimed,VisitDate");
    let got = read_visits("moved.csv", format!("{moved}\n{line}\n").as_bytes(), None);
    assert!(got.visits.is_empty());
    assert_eq!(got.problems.len(), 1);
    assert_eq!(got.problems[0].source, "moved.csv:1");
    assert!(
        got.problems[0]
            .message
            .starts_with("the header's column 13 is \"StartTimeClaimed\"")
    );
}

#[test]
fn abacus_xml() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<File>
  <FileReference>F8</FileReference>
  <ProviderContract>
    <ProviderRef>PR1</ProviderRef>
    <ServiceDeliveryHeader>
      <ServiceUserRef>C1</ServiceUserRef>
      <WeekEnding>12/04/2026</WeekEnding>
      <HomeCareVisit>
        <VisitDate>06/04/2026</VisitDate>
        <StartTimeClaimed>08:00:00</StartTimeClaimed>
        <DurationClaimed>00:30:00</DurationClaimed>
        <ActualStartTime>08:10:00</ActualStartTime>
        <ActualDuration>00:40:15</ActualDuration>
        <SecondaryVisit>false</SecondaryVisit>
        <NumberOfCarers>2</NumberOfCarers>
        <ManuallyAmended>true</ManuallyAmended>
        <CareWorkerName>Smith &amp; Co</CareWorkerName>
      </HomeCareVisit>
      <HomeCareVisit><VisitDate>07/04/2026</VisitDate><ActualDuration>PT1H30M</ActualDuration></HomeCareVisit>
      <HomeCareVisit>
        <VisitDate>08/04/2026</VisitDate>
        <ActualDuration>1:5</ActualDuration>
      </HomeCareVisit>
    </ServiceDeliveryHeader>
    <ServiceDeliveryHeader>
      <HomeCareVisit><VisitDate>2026-04-09</VisitDate><ActualDuration>00:45:00</ActualDuration><VisitCode>Missed</VisitCode></HomeCareVisit>
      <ServiceUserRef>C2</ServiceUserRef>
    </ServiceDeliveryHeader>
  </ProviderContract>
</File>
"#;
    let got = read_visits("abacus.xml", xml.as_bytes(), None);
    let mut v1 = visit("C1", day(6), Some(at(8, 10)), 40 * 60 + 15, "abacus.xml:9");
    v1.carers = 2;
    v1.manually_amended = true;
    v1.carer = Some("Smith & Co".into());
    let v2 = visit("C1", day(7), None, 5400, "abacus.xml:20");
    let mut v4 = visit("C2", day(9), None, 2700, "abacus.xml:27");
    v4.status = VisitStatus::Missed;
    assert_eq!(got.visits, [v1, v2, v4]);
    assert_eq!(problems(&got).len(), 1);
    assert_eq!(got.problems[0].source, "abacus.xml:21");
    assert!(
        got.problems[0]
            .message
            .starts_with("the ActualDuration \"1:5\" is not a length of time")
    );
}

#[test]
fn hostile_xml_is_refused_without_expanding_anything() {
    // An entity the DTD declares is never looked up.
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE File [<!ENTITY big \"CCCCCCCCCC\">]>\n<File><ServiceDeliveryHeader><ServiceUserRef>&big;</ServiceUserRef>\n<HomeCareVisit><VisitDate>06/04/2026</VisitDate><ActualDuration>00:30:00</ActualDuration></HomeCareVisit></ServiceDeliveryHeader></File>";
    let got = read_visits("x.xml", xxe.as_bytes(), None);
    assert!(got.visits.iter().all(|v| !v.client.contains('C')), "{got:?}");
    assert!(
        got.problems.iter().any(|p| p.message.contains("&big;")),
        "{got:?}"
    );

    let deep = format!("<File>{}", "<a>".repeat(100));
    let got = read_visits("deep.xml", deep.as_bytes(), None);
    assert!(got.visits.is_empty());
    assert!(
        got.problems[0].message.contains("nest more than 32 deep"),
        "{got:?}"
    );

    let cut = "<File><ServiceDeliveryHeader><ServiceUserRef>C1</ServiceUserRef>\n<HomeCareVisit><VisitDate>06/04/2026</Visit";
    let got = read_visits("cut.xml", cut.as_bytes(), None);
    assert!(got.visits.is_empty());
    assert!(!got.problems.is_empty());
    assert_eq!(got.problems[0].source, "cut.xml:2");

    let other = read_visits("other.xml", b"<Invoice/>", None);
    assert!(other.problems[0].message.contains("not the <File> of Abacus"));
}

#[test]
fn a_file_over_the_cap_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    // Sparse: 1 GB on paper, nothing on disk, and never read.
    std::fs::File::create(&path).unwrap().set_len(1 << 30).unwrap();
    let got = read_visit_file(&path, None);
    assert!(got.visits.is_empty());
    assert_eq!(got.problems.len(), 1);
    assert!(
        got.problems[0]
            .message
            .contains("1073.7 MB, more than the 536.9 MB"),
        "{got:?}"
    );
}

#[test]
fn an_export_without_a_mapping_asks_for_one() {
    let got = read_visits("export.csv", b"Client,Date,Minutes\nC1,06/04/2026,45\n", None);
    assert!(got.visits.is_empty());
    assert_eq!(problems(&got), [("export.csv", got.problems[0].message.as_str())]);
    assert!(got.problems[0].message.contains("give --mapping"));
}

#[test]
fn a_mapped_rostering_csv() {
    let dir = tempfile::tempdir().unwrap();
    let m = read_mapping(&mapping("rostering-visits.toml")).unwrap();
    let csv = "Client ID,Visit Date,Actual Start,Actual End,Visit Status,Carer,Carers,Manually Amended\n\
               C-1001,06/04/2026,08:00,08:45,Completed,Carer A,1,No\n\
               C-1001,06/04/2026,22:30,00:15,completed,Carer B,2,Yes\n\
               C-1002,07/04/2026,,,No  access,Carer A,,No\n\
               C-1002,08/04/2026,09:00,09:20,Popped in,Carer A,,No\n\
               C-1002,09/04/2026,9:00,,Completed,Carer A,,No\n";
    let path = write(dir.path(), "roster.csv", csv);
    let got = read_visit_file(&path, Some(&m));
    let src = |n: u32| format!("{}:{n}", path.display());
    let mut v2 = visit("C-1001", day(6), Some(at(8, 0)), 45 * 60, &src(2));
    v2.end = Some(at(8, 45));
    v2.carer = Some("Carer A".into());
    // 22:30 to 00:15 ran past midnight: 1 h 45 min, two carers.
    let mut v3 = visit("C-1001", day(6), Some(at(22, 30)), 105 * 60, &src(3));
    v3.end = Some(at(0, 15));
    v3.carer = Some("Carer B".into());
    v3.carers = 2;
    v3.manually_amended = true;
    let mut v4 = visit("C-1002", day(7), None, 0, &src(4));
    v4.duration = None;
    v4.status = VisitStatus::Frustrated;
    v4.carer = Some("Carer A".into());
    assert_eq!(got.visits, [v2, v3, v4]);
    let p = problems(&got);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!(p[0].0, src(5));
    assert!(
        p[0].1
            .starts_with("the Visit Status \"Popped in\" is not a status the mapping knows"),
        "{}",
        p[0].1
    );
    assert_eq!(p[1].0, src(6));
    assert_eq!(
        p[1].1,
        "the Actual Start or Actual End is blank: give both times, or the visit's status if it did not take place"
    );
}

#[test]
fn a_client_by_week_hours_report() {
    let m = read_mapping(&mapping("client-week-hours.toml")).unwrap();
    let csv = "Report: hours by client and week\n\nClient Reference,Week Commencing,Hours\nC-1001,06/04/2026,10.5\nC-1002,2026-04-06,7:15\n";
    let mut m3 = m.clone();
    m3.header_row = 3;
    let got = read_visits("weeks.csv", csv.as_bytes(), Some(&m3));
    // Each line a person's week (`rows = "weekly"`).
    let week = |v: Visit| Visit {
        whole_week: true,
        ..v
    };
    assert_eq!(
        got.visits,
        [
            week(visit("C-1001", day(6), None, 37_800, "weeks.csv:4")),
            week(visit("C-1002", day(6), None, 26_100, "weeks.csv:5")),
        ]
    );
    assert!(got.problems.is_empty(), "{:?}", got.problems);
}

#[test]
fn a_mapped_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let m = read_mapping(&mapping("rostering-workbook.toml")).unwrap();
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Notes").unwrap();
    let ws = wb.add_worksheet().set_name("Visits").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("hh:mm");
    let span = Format::new().set_num_format("[h]:mm");
    ws.write_string(0, 0, "Visits delivered, April 2026").unwrap();
    let header = [
        "Service User Ref",
        "Visit Date",
        "Planned Start",
        "Duration (mins)",
        "Status",
        "Double Up",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: a date cell, a time cell, 45 minutes as a number.
    ws.write_string(3, 0, "C-1001").unwrap();
    ws.write_number_with_format(3, 1, 46118.0, &date).unwrap();
    ws.write_number_with_format(3, 2, 0.34375, &time).unwrap();
    ws.write_number(3, 3, 45.0).unwrap();
    ws.write_string(3, 4, "Delivered").unwrap();
    ws.write_number(3, 5, 2.0).unwrap();
    // Row 5: text date and an ISO duration; a duration cell on row 6.
    ws.write_string(4, 0, "C-1002").unwrap();
    ws.write_string(4, 1, "07/04/2026").unwrap();
    ws.write_string(4, 3, "PT1H30M").unwrap();
    ws.write_string(4, 4, "not delivered").unwrap();
    ws.write_string(5, 0, "C-1002").unwrap();
    ws.write_number_with_format(5, 1, 46120.0, &date).unwrap();
    ws.write_number_with_format(5, 3, 1.25 / 24.0, &span).unwrap();
    ws.write_string(5, 4, "Delivered").unwrap();
    // Row 8 (a blank row between): an unknown status and a bad date.
    ws.write_string(7, 0, "C-1003").unwrap();
    ws.write_string(7, 1, "13/13/2026").unwrap();
    ws.write_number(7, 3, 30.0).unwrap();
    ws.write_string(7, 4, "Half done").unwrap();
    let path = dir.path().join("visits.xlsx");
    wb.save(&path).unwrap();

    let got = read_visit_file(&path, Some(&m));
    let src = |n: u32| format!("{}:{n}", path.display());
    let mut v4 = visit("C-1001", day(6), Some(at(8, 15)), 2700, &src(4));
    v4.carers = 2;
    let mut v5 = visit("C-1002", day(7), None, 5400, &src(5));
    v5.status = VisitStatus::Missed;
    let v6 = visit("C-1002", day(8), None, 4500, &src(6));
    assert_eq!(got.visits, [v4, v5, v6]);
    let p = problems(&got);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].0, src(8));
    assert!(
        p[0].1.starts_with("the Visit Date \"13/13/2026\" is not a date"),
        "{}",
        p[0].1
    );
    assert!(
        p[0].1.contains("; the Status \"Half done\" is not a status"),
        "{}",
        p[0].1
    );

    // Without a mapping, a workbook asks for one.
    let bare = read_visit_file(&path, None);
    assert!(bare.problems[0].message.contains("give --mapping"));
}

#[test]
fn the_shipped_mappings_read() {
    for name in [
        "rostering-visits.toml",
        "client-week-hours.toml",
        "rostering-workbook.toml",
    ] {
        let m = read_mapping(&mapping(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(m.description.is_some(), "{name}");
    }
}

#[test]
fn the_client_map() {
    let dir = tempfile::tempdir().unwrap();
    let ok = write(
        dir.path(),
        "clients.csv",
        "Client reference,Person ID\nC-1001,P0001\nc-1002 ,P0002\n",
    );
    let clients = read_clients(&ok).unwrap();
    assert_eq!(clients.len(), 2);
    assert_eq!(clients["C-1002"], "P0002");
    let bad = write(
        dir.path(),
        "twice.csv",
        "Client reference,Person ID\nC-1001,P0001\nC-1002,P0002\nC-1001,P0003\n",
    );
    let e = read_clients(&bad).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}:4: the client \"C-1001\" is given the Person ID \"P0003\" here and \"P0001\" on line 2: a client is one person; correct the line that is wrong",
            bad.display()
        )
    );
}

#[test]
fn abacus_xml_with_a_field_given_twice_or_a_date_outside_its_week() {
    let xml = r#"<?xml version="1.0"?>
<File><ProviderContract>
<ServiceDeliveryHeader>
<ServiceUserRef>C1</ServiceUserRef>
<WeekEnding>12/04/2026</WeekEnding>
<HomeCareVisit><VisitDate>06/04/2026</VisitDate><ActualDuration>01:00:00</ActualDuration><ActualDuration>09:00:00</ActualDuration></HomeCareVisit>
<HomeCareVisit><VisitDate>04/06/2026</VisitDate><ActualDuration>01:00:00</ActualDuration></HomeCareVisit>
<HomeCareVisit><VisitDate>07/04/2026</VisitDate><ActualDuration>00:30:00</ActualDuration></HomeCareVisit>
</ServiceDeliveryHeader>
<ServiceDeliveryHeader>
<ServiceUserRef>C1</ServiceUserRef>
<HomeCareVisit><VisitDate>08/04/2026</VisitDate><ActualDuration>01:00:00</ActualDuration></HomeCareVisit>
<ServiceUserRef>C3</ServiceUserRef>
</ServiceDeliveryHeader>
</ProviderContract></File>
"#;
    let got = read_visits("a.xml", xml.as_bytes(), None);
    // Only line 8's visit (07/04, 30 minutes) is read.
    assert_eq!(got.visits, [visit("C1", day(7), None, 1800, "a.xml:8")]);
    let p = problems(&got);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert_eq!(p[0].0, "a.xml:6");
    assert!(
        p[0].1
            .contains("actualduration is given twice in one HomeCareVisit"),
        "{}",
        p[0].1
    );
    assert_eq!(p[1].0, "a.xml:7");
    assert!(
        p[1].1
            .contains("the VisitDate 04/06/2026 is not in the week ending 12/04/2026"),
        "{}",
        p[1].1
    );
    assert_eq!(p[2].0, "a.xml:12");
    assert!(p[2].1.contains("gives the serviceuserref twice"), "{}", p[2].1);
}
