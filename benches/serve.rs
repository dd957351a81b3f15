//! How long `wfsim serve`'s page takes to answer a change: the request's handling as the server
//! does it (the change made to the text, the text read and checked, the run at the scenario's
//! own replications, the page's charts drawn as SVG and the answer written as JSON). The page's
//! aim: a median under 0.3 s on the 2-core machine.
//!
//! Three kinds of change: the seed, for each bundled scenario (everything runs again, as on a
//! first answer); and on the Tameside example, one option's premium amount (the baseline and that
//! option run again, the other options' results are kept from the answer before) and the
//! baseline's ASYE cohort size (every option is compared with the baseline, so all run again).
//!
//! Run with `cargo bench --bench serve`.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

use wfsim::serve::App;

fn bundled() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir("scenarios")
        .expect("run from the repository root")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The body of a change of `path` to `value`.
fn change(text: &str, path: &str, value: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "text": text,
        "edits": [{ "op": "set", "path": path, "value": value.to_string() }],
    }))
    .unwrap()
}

/// The answer to `body`; how many options' results it kept from the answer before.
fn answer(app: &App, body: &[u8]) -> u64 {
    let r = app.handle("POST", "/api/run", body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    v["options_kept"].as_u64().expect("a run")
}

/// What a benchmark changes: its name, the scenario's file and text, the path and the values it
/// takes in turn, and how many options each answer keeps.
type Case = (String, String, String, &'static str, [u64; 2], u64);

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (file, text) in bundled() {
        let stem = file.trim_end_matches(".toml").to_string();
        out.push((
            format!("seed_{stem}"),
            file.clone(),
            text.clone(),
            "scenario.seed",
            [1, 2],
            0,
        ));
        if stem == "tameside-2022" {
            out.push((
                format!("option_premium_{stem}"),
                file.clone(),
                text.clone(),
                "options[supplement-3k].premiums[0].amount",
                [3500, 3000],
                3,
            ));
            out.push((
                format!("baseline_asye_{stem}"),
                file.clone(),
                text.clone(),
                "intake.asye.size",
                [16, 15],
                0,
            ));
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    // A one-off median of 21 answers for each case, for docs/performance.md, each after a first
    // answer to the scenario as it stands.
    for (name, file, text, path, values, kept) in cases() {
        let app = App::new(&file, &text);
        answer(&app, &change(&text, path, values[1]));
        let mut times: Vec<f64> = (0..21)
            .map(|i| {
                let body = change(&text, path, values[i % 2]);
                let t = Instant::now();
                assert_eq!(answer(&app, &body), kept, "{name}");
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        eprintln!(
            "serve: {name}: a change answered in {:.3} s (median of 21; {:.3} to {:.3} s)",
            times[10], times[0], times[20]
        );
    }

    let mut g = c.benchmark_group("serve");
    g.sample_size(20);
    for (name, file, text, path, values, _) in cases() {
        let app = App::new(&file, &text);
        let bodies: Vec<Vec<u8>> = values.iter().map(|&v| change(&text, path, v)).collect();
        answer(&app, &bodies[1]);
        let mut i = 0;
        g.bench_function(&name, |b| {
            b.iter(|| {
                answer(&app, &bodies[i % 2]);
                i += 1;
            })
        });
    }
    g.finish();
}

criterion_group!(serve, benches);
criterion_main!(serve);
