//! `wfsim init` from a council's own staff, leavers and agency files: rates given back from an
//! extract simulated with known rates, thin cells pooled, bad files refused with the file, row
//! and column, a workbook read as its CSV, the templates read back, and no person's data or small
//! group in what init writes. Fixtures in `tests/data/council/`.

use std::path::{Path, PathBuf};

use wfsim::census::council::{self, Date, Grade, PayPoints, Request};
use wfsim::census::init::{self, own::Own};
use wfsim::census::{self};
use wfsim::stats::leaving::GammaRate;

const DIR: &str = "tests/data/council";

fn fixture(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

/// The fixture's files, with its grade map.
fn request() -> Request {
    let mut r = Request::new(fixture("staff.csv"));
    r.leavers = Some(fixture("leavers.csv"));
    r.agency = Some(fixture("agency.csv"));
    r.grades = Some(fixture("grades.toml"));
    r
}

/// A request for a staff and a leavers file of these texts, leavers counted from `from`; the
/// folder they are in, kept while it is needed.
fn files(staff: &str, leavers: &str, from: Date) -> (tempfile::TempDir, Request) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("staff.csv"), staff).unwrap();
    std::fs::write(dir.path().join("leavers.csv"), leavers).unwrap();
    let mut req = Request::new(dir.path().join("staff.csv"));
    req.leavers = Some(dir.path().join("leavers.csv"));
    req.leavers_from = Some(from);
    (dir, req)
}

fn build(req: &Request) -> Result<init::Built, init::InitError> {
    let c = census::shipped().unwrap();
    init::build_with(&c, "Tameside", Some(2025), "census.csv", Some(req))
}

/// A small generator for the simulated extract (xorshift64*), so the test needs no seed file.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

#[test]
fn an_extract_simulated_from_known_rates_gives_them_back_within_their_ranges() {
    // 5,000 full-time workers a grade, started evenly over the 12 years to 30 September 2025,
    // each leaving at a known hazard by service band (per year), as service accrues. Those who
    // left before the period (from 1 October 2022) are in no file; those who left within it are
    // leavers; the rest are the staff in post.
    let hazards = [
        (Grade::Level2, "Level 2", [0.30, 0.22, 0.15, 0.10]),
        (Grade::Level3, "Level 3", [0.25, 0.18, 0.12, 0.08]),
    ];
    let snapshot = Date::new(2025, 9, 30).unwrap();
    let from = Date::new(2022, 10, 1).unwrap();
    let first = Date::new(2013, 10, 1).unwrap();
    let span = (snapshot.days() - first.days()) as f64;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut staff = String::from("grade,fte,start_date\n");
    let mut leavers = String::from("grade,fte,start_date,leave_date\n");
    for (_, name, h) in hazards {
        for _ in 0..5000 {
            let start = Date::from_days(first.days() + (rng.uniform() * span) as i64);
            // Walk the bands: an exponential time in each at its hazard.
            let edges = [12, 24, 60].map(|m| start.add_months(m).days());
            let mut t = start.days() as f64;
            let mut leave = None;
            for (k, &rate) in h.iter().enumerate() {
                let end = edges.get(k).map_or(f64::INFINITY, |&e| e as f64);
                let x = t - rng.uniform().ln() / rate * 365.25;
                if x < end {
                    leave = Some(x as i64);
                    break;
                }
                t = end;
            }
            match leave {
                Some(d) if d < from.days() => {}
                Some(d) if d <= snapshot.days() => {
                    leavers.push_str(&format!("{name},1.0,{start},{}\n", Date::from_days(d)))
                }
                _ => staff.push_str(&format!("{name},1.0,{start}\n")),
            }
        }
    }
    let (_dir, req) = files(&staff, &leavers, from);
    let s = council::read(&req, snapshot, &PayPoints::new()).unwrap();
    let own = Own::of(s, 0.15);
    for (grade, name, h) in hazards {
        let g = own.grades.iter().find(|g| g.grade == grade).unwrap();
        for (k, r) in g.leaving.as_ref().unwrap().iter().enumerate() {
            let truth = 1.0 - (-h[k]).exp();
            // Each band's time at risk is hundreds of FTE-years, so the 99% range is a few
            // points wide and must hold the rate simulated.
            let (lo, hi) = (
                r.posterior.annual_quantile(0.005),
                r.posterior.annual_quantile(0.995),
            );
            assert!(
                lo <= truth && truth <= hi,
                "{name} band {k}: {truth:.4} outside {lo:.4}-{hi:.4}"
            );
            assert!(hi - lo < 0.08, "{name} band {k}: {lo:.4}-{hi:.4}");
            // The beta written has the posterior's mean.
            let (a, b) = r.beta;
            assert!((a / (a + b) - r.mean).abs() < 1e-9);
        }
    }
}

#[test]
fn a_thin_cell_pools_towards_its_grade_and_the_grade_towards_the_census() {
    let snapshot = Date::new(2025, 9, 30).unwrap();
    let s = council::read(&request(), snapshot, &PayPoints::new()).unwrap();
    let census_rate = 0.2;
    let own = Own::of(s.clone(), census_rate);
    let k = council::PRIOR_FTE_YEARS;
    for g in &own.grades {
        let gs = s.grade(g.grade);
        // The grade: Gamma(k x census + its leavers, k + its FTE-years); with 1 to 4 leavers or
        // fewer than 5 people at risk, the census's prior alone (its own would give its counts
        // back).
        let few = (1..5).contains(&gs.leaver_heads()) || gs.exposed_heads < 5;
        let grade = if few {
            GammaRate {
                shape: k * census_rate,
                rate: k,
            }
        } else {
            GammaRate {
                shape: k * census_rate + gs.leavers(),
                rate: k + gs.exposure(),
            }
        };
        let pooled = g.pooled.unwrap().posterior;
        assert!((pooled.shape - grade.shape).abs() < 1e-12);
        assert!((pooled.rate - grade.rate).abs() < 1e-12);
        // Each band: Gamma(k x the grade's mean + its leavers, k + its FTE-years).
        for (r, c) in g.bands.as_ref().unwrap().iter().zip(&gs.bands) {
            let want = GammaRate {
                shape: k * grade.mean() + c.leavers,
                rate: k + c.exposure,
            };
            assert!((r.shape - want.shape).abs() < 1e-12, "{g:?}");
            assert!((r.rate - want.rate).abs() < 1e-12);
        }
        // Every band of the fixture has fewer than 5 leavers, so each is written at the grade's
        // rate: its own, with the prior stated, would give back its leavers and time at risk.
        for r in g.leaving.as_ref().unwrap() {
            assert_eq!(r.posterior, pooled, "{g:?}");
        }
        assert!(g.hidden.iter().all(Option::is_some), "{g:?}");
    }
    // The leavers' period starts on 1 April 2024, the financial year of the earliest leaving
    // (2024-10-31). The team managers' 5+ years band holds one leaver over 4.33 FTE-years at risk
    // (two in post for the 547 days to 30 September 2025, and the leaver for the 486 days to
    // 2025-07-31): a raw rate near 0.23 a year; thin, so its own rate lies between that and the
    // grade's, nearer the grade's.
    let tm = own
        .grades
        .iter()
        .find(|g| g.grade == Grade::Manager)
        .unwrap();
    let c = s.grade(Grade::Manager).bands[3];
    assert_eq!(c.leaver_heads, 1);
    assert!(
        (c.exposure - (2.0 * 547.0 + 486.0) / 365.25).abs() < 1e-9,
        "{c:?}"
    );
    assert_eq!(
        s.period.unwrap().from,
        Date::new(2024, 4, 1).unwrap(),
        "{:?}",
        s.period
    );
    let raw = c.leavers / c.exposure;
    let grade = tm.pooled.unwrap().posterior.mean();
    let cell = tm.bands.as_ref().unwrap()[3].mean();
    assert!(
        (cell - grade).abs() < (raw - grade).abs(),
        "{raw} {cell} {grade}"
    );
    // A band with nobody at risk is the grade's rate.
    let asye = own.grades.iter().find(|g| g.grade == Grade::Asye).unwrap();
    let empty = asye.bands.as_ref().unwrap()[3];
    assert!((empty.mean() - asye.pooled.unwrap().posterior.mean()).abs() < 1e-12);
}

#[test]
fn the_scenario_from_files_loads_and_holds_their_workforce() {
    let b = build(&request()).unwrap();
    let t = &b.text;
    let s = crate::common::scenario(t);
    assert!(t.contains("calibration = \"council\""), "{t}");
    assert!(!t.contains("GBP"));
    // A name of its own: its runs do not replace those of the scenario from the census alone.
    assert!(s.name.ends_with("-own-data"), "{}", s.name);
    // The grades of the files, in the ladder's order, their FTE exactly as the files sum it.
    let names: Vec<&str> = s.variants[0]
        .spec
        .grades
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(names, ["ASYE", "Level 2", "Level 3", "Team manager"]);
    assert!(t.contains("permanent = 2.0 "), "{t}"); // ASYE: 2 people, 1.0 each
    assert!(t.contains("permanent = 5.4 "), "{t}"); // Level 2: 1 + 1 + 0.8 + 1 + 0.6 + 1
    assert!(t.contains("permanent = 5.5 "), "{t}"); // Level 3
    assert!(t.contains("permanent = 2.8 "), "{t}"); // Team manager
    // Level 2's service bands at 30 September 2025: under 1 year 0.8 + 1.0 (started 2024-12
    // and 2025-02), 1-2 years 1.0 (2023-11), 2-5 years 1.0 (2021-06), 5+ years 1.0 + 0.6: of
    // 5.4, 333.3, 185.2, 185.2 and 296.3 thousandths, the one left over to the largest remainder.
    assert!(
        t.contains("service_shares = [0.334, 0.185, 0.185, 0.296]"),
        "{t}"
    );
    // Pay: Level 2's FTE-weighted mean salary of its 6 people; the 3 team managers' pay is not
    // used (national pay points instead).
    let l2 = (40100.0 + 39800.0 + 0.8 * 39500.0 + 40900.0 + 0.6 * 41200.0 + 39200.0) / 5.4;
    assert!(t.contains(&format!("salary = {:.0}", l2)), "{t}");
    // SCP 42 and 43 in 2023/24 (52,467 and 53,440) plus the £1,290 award of 2024/25.
    assert!(t.contains("pay_points = [53757, 54730]"), "{t}");
    assert!(t.contains("national pay, no London weighting, unverified"));
    // Agency: five workers' FTE; their daily rates over 7.4 hours, FTE-weighted.
    assert!(t.contains("agency = 5 "), "{t}");
    let hourly = (370.0 + 350.0 + 340.0 + 360.0 + 420.0) / 5.0 / 7.4;
    assert!(
        t.contains(&format!(
            "agency_hourly_rate = {}",
            (hourly * 100.0f64).round() / 100.0
        )),
        "{t}"
    );
    // The ASYE cohort: three ASYEs started within the leavers' period (2024-04-01, the start of
    // the financial year of the earliest leaving, to 2025-09-30, 18 months): 2 a year.
    assert!(t.contains("[intake.asye]") && t.contains("size = 2"), "{t}");
    // The period is said, never the earliest leaving date (2024-10-31).
    assert!(
        words(t).contains(
            "over 18 months to the start, from 1 April 2024, the start of the financial year of \
             the earliest leaving"
        ),
        "{t}"
    );
    assert!(!t.contains("2024-10"), "{t}");
    // Three whole financial years: to March 2029.
    assert!(t.contains("months = 42"), "{t}");
    assert!(
        t.contains("employer_ni_rate = 0.15 ") && t.contains("ni_threshold = 5000"),
        "{t}"
    );
    // A column wfsim does not read is named in a warning.
    assert!(
        b.warnings.iter().any(|w| w.contains("`Employee ID` (G)")),
        "{:?}",
        b.warnings
    );
}

#[test]
fn no_person_or_small_group_appears_in_the_scenario() {
    let t = build(&request()).unwrap().text;
    // No date, team or identifier from any row.
    for file in ["staff.csv", "leavers.csv", "agency.csv"] {
        let text = std::fs::read_to_string(fixture(file)).unwrap();
        for line in text.lines().skip(1) {
            for cell in line.split(',') {
                let dated = cell.len() == 10 && cell.as_bytes()[4] == b'-';
                let named = cell.starts_with('E') || matches!(cell, "Riverside" | "Hillside");
                if dated || named {
                    assert!(!t.contains(cell), "{cell} from {file} is in the scenario");
                }
            }
        }
    }
    // The team managers (3 people) and the ASYEs (2) are not counted in a comment.
    assert!(t.contains("fewer than 5 people"), "{t}");
    for n in 1..5 {
        let small = format!("{n} people");
        // "11 people" is not a small group.
        let shown = t
            .match_indices(&small)
            .any(|(i, _)| !t[..i].ends_with(|c: char| c.is_ascii_digit()));
        assert!(!shown, "{small}");
    }
    // Level 2's six people are.
    assert!(t.contains("6 people"), "{t}");
}

/// The fixture's staff file with `edit` applied to its lines, in `dir`.
fn staff_with(dir: &Path, edit: impl Fn(Vec<String>) -> Vec<String>) -> PathBuf {
    let text = std::fs::read_to_string(fixture("staff.csv")).unwrap();
    let lines = edit(text.lines().map(str::to_string).collect());
    let p = dir.join("staff.csv");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

fn refused(req: &Request) -> String {
    match build(req) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("the files should be refused"),
    }
}

#[test]
fn bad_files_are_refused_with_the_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // FTE over 1.5, an unknown grade, a start date after the start, an NI number and an email,
    // all reported at once.
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut l| {
        l[1] = l[1].replace("SW Grade 7,1.0", "SW Grade 7,2");
        l[2] = l[2].replace("SW Grade 7", "Wizard");
        l[3] = l[3].replace("2024-12-02", "2025-10-01");
        l[4] = l[4].replace("E1004", "QQ 12 34 56 C");
        l[5] = l[5].replace("Riverside", "a.person@council.gov.uk");
        l
    });
    let e = refused(&req);
    for want in [
        "5 problems in the council's files",
        "staff.csv, row 2, column B (`FTE`): is 2; FTE must be above 0 and at most 1.5",
        "staff.csv, row 3, column A (`Grade`): `Wizard` is not one of the scenario's grades",
        "staff.csv, row 4, column C (`Start date`): 2025-10-01 is after the scenario's start",
        "staff.csv, row 5, column G (`Employee ID`): holds what looks like a National Insurance number",
        "staff.csv, row 6, column E (`Team`): holds what looks like an email address",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
    // The values themselves are not repeated.
    assert!(!e.contains("QQ 12") && !e.contains("a.person"), "{e}");

    // A name column.
    req.staff = staff_with(dir.path(), |l| {
        l.into_iter()
            .enumerate()
            .map(|(i, x)| format!("{x},{}", if i == 0 { "Surname" } else { "Smith" }))
            .collect()
    });
    let e = refused(&req);
    assert!(
        e.contains("staff.csv, column H (`Surname`): looks like a person's name"),
        "{e}"
    );
    assert!(!e.contains("Smith"), "{e}");

    // A missing column.
    req.staff = staff_with(dir.path(), |l| {
        l.into_iter()
            .map(|x| {
                let mut c: Vec<&str> = x.split(',').collect();
                c.remove(1);
                c.join(",")
            })
            .collect()
    });
    let e = refused(&req);
    assert!(
        e.contains("staff.csv: has no `fte` column; a staff file needs grade, fte, start_date"),
        "{e}"
    );

    // A date kept as a spreadsheet's count of days, and a day the month does not have: each
    // said for what it is.
    req.staff = staff_with(dir.path(), |mut l| {
        l[1] = l[1].replace("2019-03-04", "43528");
        l[2] = l[2].replace("2023-11-13", "2023-02-29");
        l
    });
    let e = refused(&req);
    for want in [
        "staff.csv, row 2, column C (`Start date`): `43528` is not a date: it looks like a \
         spreadsheet's count of days (2019-03-04); format the column as dates, YYYY-MM-DD, and \
         save the file again",
        "staff.csv, row 3, column C (`Start date`): `2023-02-29` is not a date: February 2023 has \
         28 days",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }

    // A start date after leaving.
    let mut req = request();
    let leavers = dir.path().join("leavers.csv");
    let text = std::fs::read_to_string(fixture("leavers.csv")).unwrap();
    std::fs::write(
        &leavers,
        text.replace("2022-02-14,2024-10-31", "2024-11-15,2024-10-31"),
    )
    .unwrap();
    req.leavers = Some(leavers);
    let e = refused(&req);
    assert!(
        e.contains(
            "leavers.csv, row 2, column C (`Start date`): 2024-11-15 is after the leaving date, 2024-10-31"
        ),
        "{e}"
    );

    // Without the grade map, the local name is unknown, on every row that uses it.
    let mut req = request();
    req.grades = None;
    let e = refused(&req);
    assert!(
        e.contains("`SW Grade 7` is not one of the scenario's grades"),
        "{e}"
    );
    assert!(e.contains("--grades map.toml"), "{e}");
}

#[test]
fn a_workbook_gives_the_scenario_its_csv_gives() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("staff.csv")).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c16) = (r as u32, c as u16);
            if r > 0
                && let Some(d) = Date::parse(cell)
            {
                let x = ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8).unwrap();
                ws.write_datetime_with_format(r, c16, &x, &date).unwrap();
            } else if r > 0
                && let Ok(x) = cell.parse::<f64>()
            {
                ws.write_number(r, c16, x).unwrap();
            } else {
                ws.write_string(r, c16, cell).unwrap();
            }
        }
    }
    // A second sheet is not read.
    wb.add_worksheet().write_string(0, 0, "notes").unwrap();
    let xlsx = dir.path().join("staff.xlsx");
    wb.save(&xlsx).unwrap();
    let from_csv = build(&request()).unwrap().text;
    let mut req = request();
    req.staff = xlsx;
    let from_xlsx = build(&req).unwrap().text;
    // The same text but for the file's name (and where comments wrap around it).
    let words = |t: &str| -> Vec<String> {
        t.split_whitespace()
            .filter(|w| *w != "#")
            .map(|w| w.replace("staff.xlsx", "staff.csv"))
            .collect()
    };
    assert_eq!(words(&from_xlsx), words(&from_csv));
    let values = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                l.split(" #")
                    .next()
                    .unwrap()
                    .replace("staff.xlsx", "staff.csv")
            })
            .collect()
    };
    assert_eq!(values(&from_xlsx), values(&from_csv));
}

#[test]
fn the_template_files_are_read_back_without_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in council::TEMPLATE_FILES {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut req = Request::new(dir.path().join("staff.csv"));
    req.leavers = Some(dir.path().join("leavers.csv"));
    req.agency = Some(dir.path().join("agency.csv"));
    let b = build(&req).unwrap();
    crate::common::scenario(&b.text);
    assert!(
        b.warnings.iter().all(|w| !w.contains("not read")),
        "{:?}",
        b.warnings
    );
    // Every column the docs list for each file is in its template's header.
    for ((_, text), kind) in council::TEMPLATE_FILES.iter().zip([
        council::Kind::Staff,
        council::Kind::Leavers,
        council::Kind::Agency,
    ]) {
        let header = text.lines().next().unwrap();
        for c in kind.columns().0 {
            assert!(header.split(',').any(|h| h == *c), "{c} in {header}");
        }
    }
}

#[test]
fn the_command_writes_templates_and_a_scenario_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--template"])
        .arg(&tpl)
        .assert()
        .success();
    let out = dir.path().join("s.toml");
    let o = assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--council", "Tameside", "--staff"])
        .arg(tpl.join("staff.csv"))
        .arg("--leavers")
        .arg(tpl.join("leavers.csv"))
        .arg("--agency")
        .arg(tpl.join("agency.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("calibration = \"council\""));
    let said = String::from_utf8_lossy(&o.get_output().stdout).into_owned();
    assert!(said.contains("from its own files and the census"), "{said}");
    // Again without --force: refused, the files kept.
    assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--template"])
        .arg(&tpl)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "exists; give --force to replace it, or another folder for --template",
        ));
    // Never over a file it reads, even with --force.
    let staff = std::fs::read(tpl.join("staff.csv")).unwrap();
    assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--council", "Tameside", "--force", "--staff"])
        .arg(tpl.join("staff.csv"))
        .arg("--out")
        .arg(tpl.join("staff.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "staff.csv is one of the files init reads; give the scenario another name",
        ));
    assert_eq!(std::fs::read(tpl.join("staff.csv")).unwrap(), staff);
    // A folder where one of the files goes: nothing is written, even with --force.
    let other = dir.path().join("other");
    std::fs::create_dir_all(other.join("leavers.csv")).unwrap();
    assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--force", "--template"])
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "leavers.csv is not a regular file (a folder, a link or a device), and wfsim writes \
             only over a regular file, even with --force: move it, or give another folder for \
             --template",
        ));
    assert!(!other.join("staff.csv").exists() && !other.join("agency.csv").exists());
}

#[test]
fn implausible_pay_and_agency_rates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Monthly pay, and a typo's extra digit.
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut l| {
        l[1] = l[1].replace("40100", "3342");
        l[2] = l[2].replace("39800", "398000");
        l
    });
    let e = refused(&req);
    for want in [
        "2 problems",
        "staff.csv, row 2, column D (`Salary`): is 3342, below a plausible full-time annual \
         salary (£10,000 to £200,000): it looks like monthly pay; give the full-time annual salary",
        "staff.csv, row 3, column D (`Salary`): is 398000, above a plausible full-time annual \
         salary (£10,000 to £200,000): check for a typo",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
    // The bounds themselves are accepted.
    req.staff = staff_with(dir.path(), |mut l| {
        l[1] = l[1].replace("40100", "10000");
        l[2] = l[2].replace("39800", "200000");
        l
    });
    build(&req).unwrap();

    // Agency: a daily rate in the hourly column, an hourly rate in the daily one, and a row with
    // both.
    let agency = dir.path().join("agency.csv");
    std::fs::write(
        &agency,
        "Grade,FTE,Start date,Hourly rate,Daily rate\n\
         Level 3,1.0,2025-01-06,370,\n\
         Level 3,1.0,2024-11-18,,45\n\
         Level 3,1.0,2024-11-18,45,333\n\
         Level 3,1.0,2024-11-18,15,\n\
         Level 3,1.0,2024-11-18,,1500\n",
    )
    .unwrap();
    let mut req = request();
    req.agency = Some(agency);
    let e = refused(&req);
    for want in [
        "3 problems",
        "agency.csv, row 2, column D (`Hourly rate`): is 370, above a plausible agency hourly \
         rate (£15 to £200): is it a daily rate? Those go in `daily_rate`",
        "agency.csv, row 3, column E (`Daily rate`): is 45, below a plausible agency daily rate \
         (£100 to £1,500): is it an hourly rate? Those go in `hourly_rate`",
        "agency.csv, row 4, column E (`Daily rate`): the row has both `hourly_rate` and \
         `daily_rate`; give one",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
}

/// A scenario's text with its comments' line breaks and `#`s taken out: its words, one space
/// apart.
fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "#")
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn grade_names_read_as_one_grade_are_written_and_warned_of() {
    // The fixture's names each fall into their own grade: no warning, and the mapping written.
    let b = build(&request()).unwrap();
    assert!(
        b.warnings.iter().all(|w| !w.contains("were all read as")),
        "{:?}",
        b.warnings
    );
    let flat = words(&b.text);
    // SW Grade 7: 6 in post, 2 leavers, 1 agency worker; Level 3: 6, 2 and 3; the team managers
    // 3, 1 and 1; the NQSWs 2 and 1.
    for want in [
        "\"SW Grade 7\" -> Level 2 (9 people, by --grades)",
        "\"Level 3\" -> Level 3 (11 people)",
        "\"Team Manager\" -> Team manager (5 people)",
        "\"NQSW\" -> ASYE (fewer than 5 people)",
    ] {
        assert!(flat.contains(want), "{want}\n{}", b.text);
    }
    // Two of the Level 3s named as experienced social workers, which init reads as Level 3 too.
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut l| {
        for x in &mut l[7..9] {
            *x = x.replace("Level 3", "Experienced  Social Worker");
        }
        l
    });
    let b = build(&req).unwrap();
    let merged: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.contains("were all read as"))
        .collect();
    assert_eq!(
        merged,
        [
            "grade names `Experienced Social Worker` (fewer than 5), `Level 3` (9 people) were \
             all read as Level 3; if they are different grades, map each to its own with \
             --grades map.toml, as `\"Experienced Social Worker\" = \"Level 2\"` (docs/init.md)"
        ],
        "{:?}",
        b.warnings
    );
    let flat = words(&b.text);
    assert!(
        flat.contains(
            "\"Experienced Social Worker\" -> Level 3 (fewer than 5 people); \"Level 3\" -> \
             Level 3 (9 people)"
        ),
        "{}",
        b.text
    );
}

#[test]
fn counts_under_5_cannot_be_worked_back_from_the_numbers_written() {
    let t = build(&request()).unwrap().text;
    // The ASYEs (2 people) and team managers (3): the council's service shares over all grades,
    // FTE 2.8, 3.0, 3.3 and 6.6 of 15.7 by band, not their own.
    let all = "service_shares = [0.178, 0.191, 0.21, 0.421]";
    assert_eq!(t.matches(all).count(), 2, "{t}");
    assert!(words(&t).contains("over all its grades: this grade has fewer than 5 people"));
    // Level 2's six people keep their own.
    assert!(t.contains("service_shares = [0.334, 0.185, 0.185, 0.296]"));
    // Nor their case-holding: the ASYEs and team managers hold cases as the council's qualified
    // staff do (the team managers' own, 0.0, showed that none of the three holds cases).
    assert_eq!(
        words(&t)
            .matches(
                "this grade has fewer than 5 people, whose own would show whether each holds cases"
            )
            .count(),
        2,
        "{t}"
    );
    assert!(!t.contains("caseload_weight = 0.0"), "{t}");
    // And that weight is the larger grades' alone (Level 2's and Level 3's, all holding cases),
    // so the small grades' own cannot be worked back from it: every grade and agency read 1.0.
    assert_eq!(t.matches("caseload_weight = 1.0").count(), 5, "{t}");
    // 3 of 6 leavers went to agency: the DfE's range, not 0.5.
    assert!(
        t.contains(
            "leavers_to_agency = { dist = \"triangular\", low = 0.14, mode = 0.17, high = 0.2 }"
        ),
        "{t}"
    );
    assert!(!t.contains("leavers_to_agency = 0.5"), "{t}");
    assert!(
        words(&t).contains(
            "leavers.csv counts fewer than 5 leavers who went to agency work, or who did not, too few \
             to show"
        ),
        "{t}"
    );
    // Every band has fewer than 5 leavers: each grade's four rates are one beta, its grade's.
    for line in t.lines().filter(|l| l.starts_with("leaving = [")) {
        let betas: Vec<&str> = line.split("}, ").collect();
        assert_eq!(betas.len(), 4, "{line}");
        let first = betas[0]
            .trim_start_matches("leaving = [")
            .trim_end_matches("}]");
        assert!(betas.iter().all(|b| b.contains(first)), "{line}");
    }
    // And every grade has 1 to 4 leavers: its rate is the council's census level, not its own
    // (which, with the prior stated, would give back its leavers).
    assert!(
        words(&t)
            .contains("5+ years the grade's rate (the grade's own counts are too few to show)"),
        "{t}"
    );
    // Its rate (leavers per FTE-year) and the chance of leaving it gives are named as such.
    assert!(
        words(&t).contains("The grade's rate is the council's census turnover level, 0.")
            && words(&t).contains(" leavers per FTE-year [census: turnover_rate_fte], a "),
        "{t}"
    );
    assert!(
        words(&t).contains("chance of leaving in a year on average"),
        "{t}"
    );
    assert!(!words(&t).contains("pools its own"), "{t}");
}

#[test]
fn an_identifier_inside_free_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut l| {
        l[1] = l[1].replace("Riverside", "Temp (NI: AB123456C)");
        l[2] = l[2].replace("E1002", "cover for jane.smith@council.gov.uk");
        l
    });
    let e = refused(&req);
    for want in [
        "2 problems",
        "staff.csv, row 2, column E (`Team`): holds what looks like a National Insurance number",
        "staff.csv, row 3, column G (`Employee ID`): holds what looks like an email address",
    ] {
        assert!(e.contains(want), "{want}\n{e}");
    }
    assert!(!e.contains("AB123456C") && !e.contains("jane.smith"), "{e}");
}

#[test]
fn a_file_of_the_wrong_kind_or_shape_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    // Semicolons between values (a spreadsheet's regional setting).
    req.staff = staff_with(dir.path(), |l| {
        l.iter().map(|x| x.replace(',', ";")).collect()
    });
    let e = refused(&req);
    assert!(e.contains("seems to use `;` between values"), "{e}");
    // A title above the column names.
    req.staff = staff_with(dir.path(), |mut l| {
        l.insert(0, "Tameside Council - staff in post".into());
        l
    });
    let e = refused(&req);
    assert!(
        e.contains("the first row must hold the column names"),
        "{e}"
    );
    // A workbook named .csv, and text named .xlsx.
    let book = dir.path().join("book.csv");
    std::fs::write(&book, b"PK\x03\x04 the rest of a zip archive").unwrap();
    req.staff = book;
    let e = refused(&req);
    assert!(
        e.contains("is an Excel workbook, not CSV text: name it .xlsx"),
        "{e}"
    );
    let text = dir.path().join("text.xlsx");
    std::fs::copy(fixture("staff.csv"), &text).unwrap();
    req.staff = text;
    let e = refused(&req);
    assert!(
        e.contains("is not an Excel workbook (it looks like text"),
        "{e}"
    );
}

#[test]
fn a_column_of_day_first_dates_and_files_for_a_later_year_are_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    // Every start date written DD/MM/YYYY: one problem for the column, not one a row.
    req.staff = staff_with(dir.path(), |l| {
        l.iter()
            .map(|line| {
                line.split(',')
                    .map(|c| {
                        let p: Vec<&str> = c.split('-').collect();
                        if p.len() == 3 && p[0].len() == 4 {
                            format!("{}/{}/{}", p[2], p[1], p[0])
                        } else {
                            c.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    });
    let e = refused(&req);
    assert!(e.contains("1 problem"), "{e}");
    assert!(
        e.contains("dates are written with slashes (DD/MM/YYYY, or MM/DD/YYYY)"),
        "{e}"
    );
    // Files for 30 September 2025 read as 2023's: one hint first.
    let c = census::shipped().unwrap();
    let e = init::build_with(&c, "Tameside", Some(2023), "census.csv", Some(&request()))
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    let first = e.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("fall after the scenario's start, 2023-09-30") && first.contains("--as-of"),
        "{e}"
    );
}

#[test]
fn a_grade_map_mistake_says_how_to_put_it_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "Social Worker = Level 2\n").unwrap();
    req.grades = Some(map.clone());
    let e = refused(&req);
    assert!(
        e.contains("line 1 is not a grade map") && e.contains("in quotes where it has spaces"),
        "{e}"
    );
    std::fs::write(&map, "\"Social Worker\" = \"Level 4\"\n").unwrap();
    let e = refused(&req);
    assert!(
        e.contains("`Social Worker` maps to `Level 4`, which is not one of the scenario's grades"),
        "{e}"
    );
    // One name in two spellings, to two grades (the map is read in key order).
    std::fs::write(
        &map,
        "\"SW Grade 7\" = \"Level 2\"\n\"sw grade 7\" = \"Level 3\"\n",
    )
    .unwrap();
    let e = refused(&req);
    assert!(
        e.contains("`sw grade 7` is mapped to Level 3 and, spelled another way, to Level 2"),
        "{e}"
    );
}

#[test]
fn more_starters_than_leavers_are_said_in_the_notes_the_report_shows() {
    let notes = |t: &str| -> String {
        t.lines()
            .skip_while(|l| !l.starts_with("notes = ["))
            .take_while(|l| *l != "]")
            .collect()
    };
    // The fixture's starters do not outrun its leavers: no note.
    let t = build(&request()).unwrap().text;
    assert!(!notes(&t).contains("staff in post grow"), "{t}");
    // Thirty more social workers who started in the year to the start: the note, in the
    // scenario's notes (which the report lists), with what to check.
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut l| {
        for k in 0..30 {
            l.push(format!(
                "SW Grade 7,1.0,2025-0{}-01,40100,Riverside,yes,E3{k:03}",
                1 + k % 8
            ));
        }
        l
    });
    let t = build(&req).unwrap().text;
    let n = notes(&t);
    assert!(
        n.contains("staff in post grow by about") && n.contains("Check the files' period"),
        "{n}"
    );
}

#[test]
fn files_of_more_or_fewer_staff_than_the_census_counts_are_said_and_far_more_refused() {
    // The fixture's 16 FTE against Tameside's 162.5 in the census: said, and built.
    let b = build(&request()).unwrap();
    assert!(
        b.warnings.iter().any(|w| w.contains(
            "staff.csv holds 15.7 FTE, 10% of the census's 162.5 FTE children's social workers"
        )),
        "{:?}",
        b.warnings
    );
    // A whole council's extract: the census's vacancies scaled alike pass what a scenario may
    // hold. Refused as bad input, saying so.
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    req.staff = staff_with(dir.path(), |mut lines| {
        let row = lines[1].clone();
        lines.extend(std::iter::repeat_n(row, 70_000));
        lines
    });
    let e = refused(&req);
    assert!(
        e.contains("FTE children's social workers in post at 30 September 2025: with the census's vacancies scaled alike, more than a scenario may hold (100000 FTE)"),
        "{e}"
    );
}

#[test]
fn a_leavers_period_stretched_back_by_one_old_leaver_is_said() {
    let b = build(&request()).unwrap();
    assert!(
        !b.warnings
            .iter()
            .any(|w| w.contains("leavers file's period starts")),
        "{:?}",
        b.warnings
    );
    // One leaver of 1995 among those of 2024-25: the period would start in April 1995.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("leavers.csv")).unwrap();
    let p = dir.path().join("leavers.csv");
    std::fs::write(
        &p,
        text + "Level 2,1.0,1990-03-01,1995-06-15,Resigned,other\n",
    )
    .unwrap();
    let mut req = request();
    req.leavers = Some(p);
    let b = build(&req).unwrap();
    assert!(
        b.warnings.iter().any(|w| w
            .contains("the leavers file's period starts 1995-04-01, 30.5 years before the start")
            && w.contains("give --leavers-from YYYY-MM")),
        "{:?}",
        b.warnings
    );
}

#[test]
fn files_whose_scenario_would_pass_a_bound_later_in_the_horizon_are_bad_input() {
    // 95,000 FTE for Norfolk passes the check of the start's establishment, but the path init
    // writes grows past 100,000 FTE: said as the files' problem (exit 2), not a fault in wfsim.
    let dir = tempfile::tempdir().unwrap();
    let staff = dir.path().join("staff.csv");
    let row = "Level 3,1.5,2019-03-04,40100\n";
    std::fs::write(
        &staff,
        format!("grade,fte,start_date,salary\n{}", row.repeat(63_334)),
    )
    .unwrap();
    assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--council", "Norfolk", "--staff"])
        .arg(&staff)
        .arg("--out")
        .arg(dir.path().join("s.toml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the scenario built from the council's files would not load",
        ))
        .stderr(predicates::str::contains("allowed: FTE from 0 to 100,000"));
    assert!(!dir.path().join("s.toml").exists());
}

#[test]
fn files_of_no_agency_workers_or_no_leavers_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let header_only = |name: &str| {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, format!("{}\n", text.lines().next().unwrap())).unwrap();
        p
    };
    // No agency workers: every post group starts with none, and the scenario says why.
    let mut req = request();
    req.agency = Some(header_only("agency.csv"));
    let text = build(&req).unwrap().text;
    let agency: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("agency = ") && !l.contains("sd ="))
        .collect();
    assert!(
        !agency.is_empty() && agency.iter().all(|l| *l == "agency = 0"),
        "{agency:?}"
    );
    assert!(
        text.contains("# agency FTE 0.0 [agency.csv: no agency workers]"),
        "{text}"
    );
    assert!(
        !text.contains(" -0.0%") && !text.contains("= -0\n"),
        "{text}"
    );
    let s = wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("own.toml", &text));
    assert!(s.is_ok());
    // No leavers: a period must be given for none to be counted over it.
    let mut req = request();
    req.leavers = Some(header_only("leavers.csv"));
    let e = refused(&req);
    assert!(
        e.contains(
            "leavers.csv: has no leavers, so the period it covers is not known: give \
             --leavers-from YYYY-MM, the month it starts from"
        ),
        "{e}"
    );
    req.leavers_from = wfsim::census::council::Date::new(2024, 4, 1);
    let text = build(&req).unwrap().text;
    assert!(text.contains("leaving = "), "{text}");
}

#[test]
fn a_file_holding_a_copy_of_its_rows_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request();
    req.staff = staff_with(dir.path(), |l| {
        let rows = l[1..].to_vec();
        l.into_iter().chain(rows).collect()
    });
    let b = build(&req).unwrap();
    let rows = std::fs::read_to_string(fixture("staff.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let want = format!(
        "staff.csv: its last {rows} rows repeat its first {rows}, row for row; each row is read as \
         one person, so if the file holds a copy of its rows, remove the copy"
    );
    assert!(
        b.warnings.iter().any(|w| w.ends_with(&want)),
        "{want}\n{:?}",
        b.warnings
    );
    // The fixture itself has none.
    let b = build(&request()).unwrap();
    assert!(
        !b.warnings.iter().any(|w| w.contains("row for row")),
        "{:?}",
        b.warnings
    );
    // Rows alike in every column but not a copy of the file's first rows: nothing to say.
    req.staff = staff_with(dir.path(), |mut l| {
        let last = l.last().unwrap().clone();
        l.push(last);
        l
    });
    let b = build(&req).unwrap();
    assert!(
        !b.warnings.iter().any(|w| w.contains("row for row")),
        "{:?}",
        b.warnings
    );
}

/// A grade's people at risk are counted once each over its bands: 16 Level 3 staff spread four to
/// a band, 5 of whom left, are 16 people at risk, so the grade pools its own leavers with the
/// census (4 in the largest band read as "fewer than 5 people at risk" and took the census's
/// level alone). And a start on the first day of the leavers' period is a start in it.
#[test]
fn people_at_risk_are_the_grades_and_a_start_on_the_periods_first_day_counts() {
    let from = Date::new(2024, 10, 1).unwrap();
    let snapshot = Date::new(2025, 9, 30).unwrap();
    let mut staff = String::from("grade,fte,start_date\n");
    let mut leavers = String::from("grade,fte,start_date,leave_date\n");
    // Four starting dates that keep each person in one band through the period: under 1, 1-2,
    // 2-5 and 5+ years.
    let starts = ["2024-10-01", "2023-10-01", "2021-10-01", "2015-05-05"];
    for (i, start) in starts.iter().enumerate() {
        for j in 0..4 {
            // Five leavers: from the last three bands, at least a month into the period.
            if ((i == 1 || i == 2) && j < 2) || (i == 3 && j == 0) {
                leavers.push_str(&format!("Level 3,1.0,{start},2025-02-{:02}\n", 10 + j));
            } else {
                staff.push_str(&format!("Level 3,1.0,{start}\n"));
            }
        }
    }
    // Two starters on the period's first day, and one the day before it.
    staff.push_str("Level 2,1.0,2024-10-01\nLevel 2,1.0,2024-10-01\nLevel 2,1.0,2024-09-30\n");
    let (_dir, req) = files(&staff, &leavers, from);
    let s = council::read(&req, snapshot, &PayPoints::new()).unwrap();
    let l3 = s.grade(Grade::Level3);
    assert_eq!(l3.exposed_heads, 16);
    assert!(l3.bands.iter().all(|c| c.exposed_heads == 4), "{l3:?}");
    assert_eq!(l3.leaver_heads(), 5);
    let census_rate = 0.2;
    let own = Own::of(s.clone(), census_rate);
    let g = own
        .grades
        .iter()
        .find(|g| g.grade == Grade::Level3)
        .unwrap();
    let k = council::PRIOR_FTE_YEARS;
    let pooled = g.pooled.unwrap().posterior;
    assert!(
        (pooled.shape - (k * census_rate + 5.0)).abs() < 1e-12,
        "{pooled:?}"
    );
    assert!(
        (pooled.rate - (k + l3.exposure())).abs() < 1e-12,
        "{pooled:?}"
    );
    let l2 = s.grade(Grade::Level2);
    assert_eq!(l2.starter_heads, 2);
    assert_eq!(l2.starters, 2.0);
    // The four Level 3 staff who started on the period's first day too.
    assert_eq!(l3.starter_heads, 4);
    // What init writes of it names each figure's scale: the grade's chance of leaving in a year,
    // and its own and the census's leavers per FTE-year.
    let text = build(&req).unwrap().text;
    let t: String = text
        .lines()
        .map(|l| l.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let own_rate = format!("{:.3} leavers per FTE-year", 5.0 / l3.exposure());
    assert!(
        t.contains("The grade's chance of leaving in a year, ")
            && t.contains(&format!(
                "FTE-years at risk: {own_rate}) with the council's census turnover level, 0."
            )),
        "{t}"
    );
}

/// A staff file whose case_holding column is blank in one row is used whole or not at all: the
/// census's case-holding for every grade, and a warning saying why (one blank cell had switched
/// that grade and agency to the census's and left the others on the file's).
#[test]
fn a_case_holding_column_with_a_blank_is_not_mixed_with_the_census() {
    let mut staff = String::from("grade,fte,start_date,case_holding\n");
    for i in 0..10 {
        staff.push_str(&format!("Level 3,1.0,2020-01-{:02},yes\n", i + 1));
        staff.push_str(&format!("ASYE,1.0,2025-01-{:02},yes\n", i + 1));
        staff.push_str(&format!("Team manager,1.0,2015-01-{:02},no\n", i + 1));
    }
    let whole = staff.clone();
    staff.push_str("Level 3,1.0,2020-02-01,\n");
    let dir = tempfile::tempdir().unwrap();
    let read = |text: &str| {
        std::fs::write(dir.path().join("staff.csv"), text).unwrap();
        let req = Request::new(dir.path().join("staff.csv"));
        council::read(&req, Date::new(2025, 9, 30).unwrap(), &PayPoints::new()).unwrap()
    };
    let s = read(&whole);
    assert!(s.has_case_holding());
    let own = Own::of(s, 0.2);
    assert!(own.grades.iter().all(|g| g.weight.is_some()));
    let s = read(&staff);
    assert!(!s.has_case_holding());
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("case_holding is blank in 1 of 31 staff rows")),
        "{:?}",
        s.warnings
    );
    let own = Own::of(s, 0.2);
    for g in &own.grades {
        assert_eq!(g.weight, None, "{:?}", g.grade);
    }
}

/// The share of leavers who went to agency work is taken over those whose destination is given,
/// with a warning for the blanks, and a fostering or adoption agency is other work; the share is
/// written as a range from its count.
#[test]
fn leavers_to_agency_is_over_known_destinations_and_a_fostering_agency_is_not_agency_work() {
    let from = Date::new(2024, 10, 1).unwrap();
    let mut staff = String::from("grade,fte,start_date\n");
    for _ in 0..20 {
        staff.push_str("Level 3,1.0,2020-01-06\n");
    }
    let mut leavers = String::from("grade,fte,start_date,leave_date,destination\n");
    let destinations = [
        "agency",
        "Locum",
        "agency/locum",
        "Agency social work",
        "agency",
        "agency",
        "another council",
        "Fostering agency",
        "Independent agency (IFA)",
        "Agency? No",
        "Other LA (not via agency)",
        "",
        "",
        "",
    ];
    for (i, d) in destinations.iter().enumerate() {
        leavers.push_str(&format!(
            "Level 3,1.0,2019-05-07,2025-0{}-10,{d}\n",
            1 + i % 8
        ));
    }
    let (_dir, mut req) = files(&staff, &leavers, from);
    req.leavers_from = Some(from);
    let b = build(&req).unwrap();
    // 6 of the 11 with a destination; 3 blank.
    assert!(
        b.text
            .contains("leavers_to_agency = { dist = \"beta\", alpha = 7, beta = 6 }"),
        "{}",
        b.text
    );
    assert!(
        words(&b.text)
            .contains("6 of the 11 leavers whose `destination` is given went to agency work"),
        "{}",
        b.text
    );
    assert!(
        b.warnings.iter().any(|w| w
            == "3 of the 14 leavers over the period have no known `destination` (blank or not \
                known): the share who went to agency work is taken over the 11 whose destination \
                is given"),
        "{:?}",
        b.warnings
    );
}

/// A name in the grade map that no row uses is warned of, with the files' nearest name: a typo
/// there left the files' name to its built-in meaning without a word.
#[test]
fn a_grade_map_name_no_row_uses_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("grades.toml");
    std::fs::write(
        &map,
        "\"SW Grade 7\" = \"Level 2\"\n\"Team Manger\" = \"Team manager\"\n",
    )
    .unwrap();
    let mut req = request();
    req.grades = Some(map);
    let b = build(&req).unwrap();
    assert!(
        b.warnings.iter().any(|w| w
            == "the grade map's `Team Manger` is a name no row of the files uses; did you mean \
                `Team Manager`?"),
        "{:?}",
        b.warnings
    );
    // The map as shipped, every name used: no such warning.
    let b = build(&request()).unwrap();
    assert!(
        !b.warnings
            .iter()
            .any(|w| w.contains("no row of the files uses")),
        "{:?}",
        b.warnings
    );
}

/// Files that end long before the start (an extract of September 2024 read with the census of
/// 2025, `--as-of` left out), a `--leavers-from` long before the first leaver, and a period with
/// no leavers at all among many staff are each warned of: each lowers every leaving rate.
#[test]
fn files_that_end_long_before_the_start_or_hold_no_leavers_are_warned_of() {
    let mut staff = String::from("grade,fte,start_date\n");
    for i in 0..24 {
        staff.push_str(&format!("Level 3,1.0,20{:02}-03-04\n", 10 + i % 14));
    }
    let leavers = "grade,fte,start_date,leave_date\nLevel 3,1.0,2015-05-05,2024-06-10\n\
                   Level 3,1.0,2016-05-05,2024-09-20\n";
    let (_dir, req) = files(&staff, leavers, Date::new(2022, 4, 1).unwrap());
    let b = build(&req).unwrap();
    let has = |needle: &str| b.warnings.iter().any(|w| w.contains(needle));
    assert!(
        has(
            "the files' latest date, a leaving or a start, is 2024-09-20, 12 months before the \
             start (2025-09-30): if the extract was taken then, give the census year it was \
             taken in (--as-of)"
        ),
        "{:?}",
        b.warnings
    );
    assert!(
        has(
            "the first leaver over the period left on 2024-06-10, 26 months after \
             --leavers-from (2022-04-01)"
        ),
        "{:?}",
        b.warnings
    );
    // A leavers file of its header alone.
    let (_dir, req) = files(
        &staff.replace("2023-03-04", "2025-08-04"),
        "grade,fte,start_date,leave_date\n",
        Date::new(2024, 4, 1).unwrap(),
    );
    let b = build(&req).unwrap();
    assert!(
        b.warnings.iter().any(|w| w.starts_with(
            "no one in the leavers file left over the period's 18 months, of 24 staff"
        )),
        "{:?}",
        b.warnings
    );
    // The fixture, which runs to the start: none of these.
    let b = build(&request()).unwrap();
    assert!(
        !b.warnings.iter().any(|w| w.contains("latest date")
            || w.contains("first leaver")
            || w.contains("no one in")),
        "{:?}",
        b.warnings
    );
}

/// Salaries from pay points say that wfsim's national pay spine turned them into pounds (no
/// London weighting), which the note on salaries from the file's pounds need not.
#[test]
fn salaries_from_pay_points_say_they_are_national_pay() {
    let mut staff = String::from("grade,fte,start_date,pay_point\n");
    for i in 0..6 {
        // `29.0` as a spreadsheet writes a whole number is pay point 29.
        staff.push_str(&format!(
            "Level 3,1.0,201{i}-03-04,{}\n",
            ["29", "31", "33.0"][i % 3]
        ));
    }
    let leavers = "grade,fte,start_date,leave_date\nLevel 3,1.0,2015-05-05,2025-06-10\n";
    let (_dir, req) = files(&staff, leavers, Date::new(2024, 10, 1).unwrap());
    let b = build(&req).unwrap();
    let flat = words(&b.text);
    assert!(
        flat.contains(
            "FTE-weighted mean pay_point of 6 people, in pounds by the NJC national pay spine"
        ),
        "{flat}"
    );
    assert!(flat.contains("national pay, no London weighting"), "{flat}");
}

/// Salaries given pro rata for part-timers (what many payroll extracts hold) are warned of: the
/// column is full-time salary, and pro rata pay costs everyone too little.
#[test]
fn pro_rata_salaries_of_part_timers_are_warned_of() {
    let staff = |pro_rata: bool| {
        let mut t = String::from("grade,fte,start_date,salary\n");
        for i in 0..6 {
            t.push_str(&format!("Level 3,1.0,201{i}-03-04,{}\n", 44_000 + 100 * i));
        }
        for (i, fte) in [0.5, 0.6, 0.8, 0.5, 0.6].iter().enumerate() {
            let full = 44_000.0 + 100.0 * i as f64;
            let salary = if pro_rata { full * fte } else { full };
            t.push_str(&format!("Level 3,{fte},201{i}-05-06,{salary}\n"));
        }
        t
    };
    let leavers = "grade,fte,start_date,leave_date\nLevel 3,1.0,2015-05-05,2025-06-10\n";
    let warned = |pro_rata: bool| {
        let (_dir, req) = files(&staff(pro_rata), leavers, Date::new(2024, 10, 1).unwrap());
        build(&req)
            .unwrap()
            .warnings
            .into_iter()
            .filter(|w| w.contains("pro rata"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        warned(true),
        [
            "part-time staff's salaries look pro rata: 5 part-timers' salaries are on average 60% \
          of their grade's full-time mean, as their FTE is 60% of full time; `salary` is the \
          full-time annual salary (a half-time worker on a £40,000 full-time salary is £40,000 \
          in it, not the £20,000 paid), else every cost is too low"
        ]
    );
    assert!(warned(false).is_empty());
}

/// From a council's files too, the agency at the start is the model's agency need, however each
/// grade's FTE rounds to whole workers: none is released in month 1 for rounding alone.
#[test]
fn agency_from_the_files_is_not_released_in_month_1_for_rounding() {
    let mut staff = String::from("grade,fte,start_date\n");
    for (grade, n) in [
        ("Level 2", 11),
        ("Level 3", 41),
        ("Senior practitioner", 21),
    ] {
        for i in 0..n {
            // Each grade's last person part-time: 10.6, 40.6 and 20.6 FTE.
            let fte = if i == 0 { 0.6 } else { 1.0 };
            staff.push_str(&format!("{grade},{fte},20{:02}-03-04\n", 10 + i % 14));
        }
    }
    let leavers = "grade,fte,start_date,leave_date\nLevel 3,1.0,2015-05-05,2025-06-10\n";
    let (_dir, req) = files(&staff, leavers, Date::new(2024, 10, 1).unwrap());
    let b = build(&req).unwrap();
    let released: Vec<String> = crate::common::scenario(&b.text)
        .notes
        .into_iter()
        .filter(|n| n.contains("the excess is released"))
        .collect();
    assert!(released.is_empty(), "{released:?}");
}
