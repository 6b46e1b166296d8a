//! `firmly-bench`: Firmly Desk measured against the platform's own limits. Every figure is a
//! ratio to a baseline taken in the same run, so it holds on a noisy, shared machine; nothing
//! here is a test and nothing fails on a number. `.ci/bench.sh` builds what is needed and runs
//! every part; docs/BENCHMARKS.md explains each figure.
//!
//! ```text
//! firmly-bench service  --out DIR [--runs 7] [--reads 500]     fan-out (4), client overhead (5)
//! firmly-bench sandbox  --out DIR [--seconds 3] [--connections 16] [--trials 3]   sandbox (8)
//! firmly-bench crypto   --out DIR [--n 500]                    card encryption (9)
//! firmly-bench rtt      --out DIR [--latency-ms 150] [--jitter-ms 50] [--runs 3]
//!                                                              round trips per flow, latency
//! firmly-bench size     --out DIR --app BIN --hello BIN [--live BIN]   binary size (3)
//! firmly-bench app      --out DIR --app BIN --hello BIN [--runs 9] [--iterations 100]
//!                                                              start (1), memory (2), IPC (6), render (7)
//!                                                              (needs a display: run under xvfb-run)
//! firmly-bench shop     --out DIR --app BIN --hello BIN [--latency-ms 150] [--jitter-ms 50] [--runs 3]
//!                                                              the app on a shop's network (needs a display)
//! firmly-bench endurance --out DIR --app BIN [--sessions 300] [--every 20]
//!                                                              a kiosk day (needs a display)
//! firmly-bench report   --out DIR --json FILE [--elapsed SECONDS]
//! ```

mod app;
mod app_ipc;
mod app_latency;
mod app_scripts;
mod crypto;
mod drive;
mod endurance;
mod figure;
mod journal;
mod page;
mod procs;
mod report;
mod rtt;
mod sandbox;
mod service;

use std::path::PathBuf;

struct Args(Vec<String>);

impl Args {
    fn get(&self, name: &str) -> Option<String> {
        let flag = format!("--{name}");
        self.0
            .iter()
            .position(|a| *a == flag)
            .and_then(|i| self.0.get(i + 1).cloned())
    }
    fn path(&self, name: &str) -> Result<PathBuf, String> {
        self.get(name)
            .map(PathBuf::from)
            .ok_or_else(|| format!("--{name} is required"))
    }
    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
        }
    }
}

fn run() -> Result<(), String> {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = all.first().cloned() else {
        return Err(
            "usage: firmly-bench service|sandbox|crypto|rtt|size|app|shop|endurance|report --out DIR …".into(),
        );
    };
    let args = Args(all);
    let out = args.path("out")?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    match cmd.as_str() {
        "service" => service::run(&out, args.num("runs", 7)?, args.num("reads", 500)?),
        "sandbox" => sandbox::run(
            &out,
            args.num("seconds", 3.0)?,
            args.num("connections", 16)?,
            args.num("trials", 3)?,
        ),
        "crypto" => crypto::run(&out, args.num("n", 500)?),
        "rtt" => rtt::run(
            &out,
            args.num("latency-ms", 150)?,
            args.num("jitter-ms", 50)?,
            args.num("runs", 3)?,
        ),
        "shop" | "endurance" => {
            let app =
                std::fs::canonicalize(args.path("app")?).map_err(|e| format!("--app: {e}"))?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            if cmd == "shop" {
                let hello = std::fs::canonicalize(args.path("hello")?)
                    .map_err(|e| format!("--hello: {e}"))?;
                rt.block_on(app_latency::run(
                    &out,
                    &app,
                    &hello,
                    args.num("latency-ms", 150)?,
                    args.num("jitter-ms", 50)?,
                    args.num("runs", 3)?,
                ))
            } else {
                rt.block_on(endurance::run(
                    &out,
                    &app,
                    args.num("sessions", 300)?,
                    args.num("every", 20)?,
                ))
            }
        }
        "size" | "app" => {
            let apps = app::Apps {
                app: std::fs::canonicalize(args.path("app")?).map_err(|e| format!("--app: {e}"))?,
                hello: std::fs::canonicalize(args.path("hello")?)
                    .map_err(|e| format!("--hello: {e}"))?,
            };
            if cmd == "size" {
                let live = args.get("live").map(PathBuf::from);
                return app::size(&out, &apps, live.as_deref());
            }
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let runs = args.num("runs", 9)?;
            let iterations = args.num("iterations", 100)?;
            let only = args.get("only").unwrap_or_default();
            rt.block_on(async {
                let mut errors = Vec::new();
                let mut floor = None;
                if only.is_empty() || only == "start" {
                    match app::start_and_memory(&out, &apps, runs).await {
                        Ok(f) => floor = Some(f),
                        Err(e) => errors.push(format!("start/memory: {e}")),
                    }
                }
                if only.is_empty() || only == "ipc" {
                    if let Err(e) = app_ipc::ipc_and_render(&out, &apps, iterations, floor).await {
                        errors.push(format!("ipc/render: {e}"));
                    }
                }
                if errors.is_empty() {
                    Ok(())
                } else {
                    Err(errors.join("; "))
                }
            })
        }
        "report" => report::run(
            &out,
            &args.path("json")?,
            args.get("elapsed").and_then(|v| v.parse().ok()),
        ),
        other => Err(format!("unknown command {other}")),
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("firmly-bench: {e}");
        std::process::exit(1);
    }
}
