//! report.html as a reader sees it: opened in headless Chromium, with every chart drawn, nothing
//! fetched, no console errors, a screenshot of the page, and a PDF printed on A4 with a picture of
//! its first page.
//!
//! Needs Chromium (`/usr/bin/chromium`, or the path in `WFSIM_CHROMIUM`) and poppler's `pdftoppm`;
//! `.ci/run` installs both and
//! sets `WFSIM_REQUIRE_BROWSER=1`, so there a missing browser fails the test. Elsewhere the test says
//! it was skipped.

use std::path::Path;
use std::process::Command;

use assert_cmd::Command as Bin;

use crate::common::{a4_pages, browse, chromium};

/// A page that loads the report in a frame and writes what it finds into `#result`.
const CHECK_PAGE: &str = r#"<!DOCTYPE html>
<html><body><pre id="result">not loaded</pre>
<iframe id="f" src="report.html" style="width:1000px;height:3000px"></iframe>
<script>
const f = document.getElementById('f');
f.addEventListener('load', () => {
  const d = f.contentDocument, w = f.contentWindow;
  const figures = [...d.querySelectorAll('figure')];
  const drawn = figures.filter(fig => {
    const svg = fig.querySelector('svg');
    if (!svg) return false;
    const box = svg.getBoundingClientRect();
    return box.width > 300 && box.height > 100
      && svg.querySelectorAll('polygon, polyline, rect, path, circle').length > 2;
  }).length;
  const resources = w.performance.getEntriesByType('resource').map(e => e.name);
  document.getElementById('result').textContent =
    'RESULT ' + JSON.stringify({figures: figures.length, drawn, resources, title: d.title});
});
</script></body></html>
"#;

#[test]
fn report_opens_in_chromium_with_every_chart_and_prints_on_a4() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let profile = dir.path().join("profile");
    Bin::cargo_bin("wfsim")
        .unwrap()
        .args(["run", "tests/data/report-small.toml", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let charts = std::fs::read_dir(out.join("charts")).unwrap().count() / 2;
    let url = |f: &str| format!("file://{}", out.join(f).display());

    // Every figure is an SVG with a real size and content; nothing was fetched.
    std::fs::write(out.join("check.html"), CHECK_PAGE).unwrap();
    let (dom, _) = browse(
        &chrome,
        &profile,
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ],
        &url("check.html"),
    );
    let json = dom
        .split("RESULT ")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("the check page did not run: {dom}"));
    let found: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    assert_eq!(found["figures"], charts, "{found}");
    assert_eq!(
        found["drawn"], charts,
        "a chart is missing or empty: {found}"
    );
    assert_eq!(
        found["resources"],
        serde_json::json!([]),
        "fetched: {found}"
    );
    assert_eq!(found["title"], "Workforce projection: report-small");

    // No console messages, and a screenshot with something on it.
    let shot = dir.path().join("page.png");
    let (_, log) = browse(
        &chrome,
        &profile,
        &[
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,1400",
            &format!("--screenshot={}", shot.display()),
        ],
        &url("report.html"),
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1000, 1400));
    let inked = buf.iter().filter(|&&b| b < 200).count();
    assert!(inked > buf.len() / 100, "the screenshot is nearly blank");

    // Printed to PDF: every page is A4 (595 x 842 points).
    let pdf_path = dir.path().join("report.pdf");
    browse(
        &chrome,
        &profile,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf_path.display()),
        ],
        &url("report.html"),
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(a4_pages(&pdf) >= 2, "expected several pages");

    // A picture of the printed first page (poppler's pdftoppm): A4 proportions, with content.
    let page = dir.path().join("page1");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf_path)
        .arg(&page)
        .status();
    match status {
        Ok(s) => {
            assert!(s.success(), "pdftoppm failed");
            let (w, h, inked) = ink(&page.with_extension("png"));
            assert!(
                ((h as f64 / w as f64) - 297.0 / 210.0).abs() < 0.02,
                "{w}x{h}"
            );
            assert!(inked > 0.01, "the printed page is nearly blank");
        }
        Err(_) if std::env::var_os("WFSIM_REQUIRE_BROWSER").is_some() => {
            panic!("pdftoppm (Debian's poppler-utils) is needed to look at the printed page")
        }
        Err(_) => eprintln!("skipped the printed page picture: pdftoppm not found"),
    }
}

/// Width, height and the share of bytes that are not near-white.
fn ink(path: &Path) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let inked = buf.iter().filter(|&&b| b < 200).count() as f64 / buf.len() as f64;
    (info.width, info.height, inked)
}
