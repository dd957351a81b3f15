//! How long `wfsim serve`'s page takes to answer a change: the request's handling as the server
//! does it (the change made to the text, the text read and checked, the run at the scenario's
//! own replications, the page's charts drawn as SVG and the answer written as JSON), for each
//! bundled scenario. The page's aim: a median under 0.3 s on the 2-core machine.
//!
//! Each answer follows a change of seed, so that no answer comes from the last run's results
//! (a change of any input costs the same: everything is run again).
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

/// The body of a change of seed to `seed`.
fn change(text: &str, seed: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "text": text,
        "edits": [{ "op": "set", "path": "scenario.seed", "value": seed.to_string() }],
    }))
    .unwrap()
}

fn answer(app: &App, body: &[u8]) {
    let r = app.handle("POST", "/api/run", body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

fn benches(c: &mut Criterion) {
    // A one-off median of 21 answers per scenario, for docs/performance.md.
    for (file, text) in bundled() {
        let app = App::new(&file, &text);
        let mut times: Vec<f64> = (0..21)
            .map(|i| {
                let body = change(&text, 1000 + i);
                let t = Instant::now();
                answer(&app, &body);
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        eprintln!(
            "serve: {file}: a change answered in {:.3} s (median of 21; {:.3} to {:.3} s)",
            times[10], times[0], times[20]
        );
    }

    let mut g = c.benchmark_group("serve");
    g.sample_size(20);
    for (file, text) in bundled() {
        let app = App::new(&file, &text);
        let bodies: Vec<Vec<u8>> = (0..2).map(|i| change(&text, 1 + i)).collect();
        let mut i = 0;
        g.bench_function(
            format!("change_answered_{}", file.trim_end_matches(".toml")),
            |b| {
                b.iter(|| {
                    i += 1;
                    answer(&app, &bodies[i % 2]);
                })
            },
        );
    }
    g.finish();
}

criterion_group!(serve, benches);
criterion_main!(serve);
