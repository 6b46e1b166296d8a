//! Figure 8: the sandbox's `GET /api/v2/domains/staging.luma.gift/cart` (with a device token,
//! a cart of three items) under a loopback load generator, against an axum hello-world route
//! served on the same runtime (a multi-thread tokio runtime with default settings, as the
//! app's embedded sandbox gets from Tauri's async runtime).
//!
//! The load generator is deliberately lean, like `wrk`: N keep-alive connections on one
//! thread, each sending a fixed HTTP/1.1 request and reading the response by its
//! `Content-Length`, so the client costs as little as possible and the servers are compared.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::figure::{median, r3, r3s, Figure};
use crate::service::typed_client;

struct Trial {
    /// Process CPU time (all threads: servers and load generator) per request, µs.
    cpu_us_per_req: f64,
    /// Cores busy on average during the trial.
    cores: f64,
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    errors: u64,
}

/// Reads one HTTP/1.1 response (Content-Length or chunked) from `s`; returns the status.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut tmp = [0u8; 16384];
    let head_end = loop {
        if let Some(p) = find(buf, b"\r\n\r\n") {
            break p + 4;
        }
        let n = s.read(&mut tmp).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    match length {
        Some(len) => {
            while buf.len() < head_end + len {
                let n = s.read(&mut tmp).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&tmp[..n]);
            }
        }
        None if head.contains("transfer-encoding: chunked") => loop {
            if buf.len() >= head_end + 5 && buf.ends_with(b"0\r\n\r\n") {
                break;
            }
            let n = s.read(&mut tmp).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buf.extend_from_slice(&tmp[..n]);
        },
        None => {}
    }
    Ok(status)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `connections` keep-alive connections hammering `request` for `duration`.
/// CPU seconds this process has used (utime + stime; 10 ms resolution).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rfind(')').map(|i| &stat[i + 2..]).unwrap_or("");
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

async fn load(addr: &str, request: &[u8], connections: usize, duration: Duration) -> Trial {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let cpu0 = cpu_seconds();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let addr = addr.to_string();
        let request = request.to_vec();
        tasks.push(tokio::task::spawn_local(async move {
            let mut lat: Vec<f64> = Vec::with_capacity(100_000);
            let mut errors = 0u64;
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut conn: Option<TcpStream> = None;
            while Instant::now() < deadline {
                let s = match conn.as_mut() {
                    Some(s) => s,
                    None => match TcpStream::connect(&addr).await {
                        Ok(s) => {
                            let _ = s.set_nodelay(true);
                            conn.insert(s)
                        }
                        Err(_) => {
                            errors += 1;
                            continue;
                        }
                    },
                };
                let t = Instant::now();
                let ok = match s.write_all(&request).await {
                    Ok(()) => read_response(s, &mut buf).await,
                    Err(e) => Err(e),
                };
                match ok {
                    Ok(200) => lat.push(t.elapsed().as_secs_f64() * 1e6),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        conn = None;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    Trial {
        cpu_us_per_req: cpu * 1e6 / all.len().max(1) as f64,
        cores: cpu / secs,
        rps: all.len() as f64 / secs,
        p50_us: crate::figure::percentile(&all, 50.0),
        p99_us: crate::figure::percentile(&all, 99.0),
        errors,
    }
}

pub fn run(out: &Path, seconds: f64, connections: usize, trials: usize) -> Result<(), String> {
    // The servers: one multi-thread runtime with default settings (worker per core).
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let (sandbox, hello_addr) = server_rt.block_on(async {
        let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
            .await
            .map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let app =
            axum::Router::new().route("/hello", axum::routing::get(|| async { "Hello, world" }));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok::<_, String>((sandbox, addr))
    })?;
    let base = sandbox.base_url();
    let sandbox_addr = base.trim_start_matches("http://").to_string();
    // A device with a three-item cart (set up through the typed client).
    let (token, cart_bytes) = server_rt.block_on(async {
        let c = typed_client(&base)?;
        for v in ["MH07-M-Black", "WS12-M-Blue", "24-MB02"] {
            c.add_line_item("staging.luma.gift", v, 1, false)
                .await
                .map_err(|e| e.message)?;
        }
        let token = c
            .ensure_session()
            .await
            .map_err(|e| e.message)?
            .access_token;
        let http = crate::service::bare_client()?;
        let bytes = crate::service::bare_cart(&http, &base, &token, "staging.luma.gift").await?;
        Ok::<_, String>((token, bytes))
    })?;
    let cart_req = format!(
        "GET /api/v2/domains/staging.luma.gift/cart HTTP/1.1\r\nHost: {sandbox_addr}\r\nAccept: application/json\r\nContent-Type: application/json\r\nx-firmly-authorization: {token}\r\n\r\n"
    );
    let hello_req = format!("GET /hello HTTP/1.1\r\nHost: {hello_addr}\r\n\r\n");
    let hello_addr = hello_addr.to_string();

    // The load generator: its own single thread.
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let local = tokio::task::LocalSet::new();
    let dur = Duration::from_secs_f64(seconds);
    let (hello, cart) = local.block_on(&client_rt, async {
        // Warm-up (also fills the sandbox's request journal to its steady state).
        load(
            &hello_addr,
            hello_req.as_bytes(),
            connections,
            Duration::from_millis(500),
        )
        .await;
        load(
            &sandbox_addr,
            cart_req.as_bytes(),
            connections,
            Duration::from_millis(1000),
        )
        .await;
        let (mut hello, mut cart) = (Vec::new(), Vec::new());
        for i in 0..trials {
            if i % 2 == 0 {
                hello.push(load(&hello_addr, hello_req.as_bytes(), connections, dur).await);
                cart.push(load(&sandbox_addr, cart_req.as_bytes(), connections, dur).await);
            } else {
                cart.push(load(&sandbox_addr, cart_req.as_bytes(), connections, dur).await);
                hello.push(load(&hello_addr, hello_req.as_bytes(), connections, dur).await);
            }
        }
        (hello, cart)
    });
    server_rt.block_on(sandbox.shutdown());
    let rps = |v: &[Trial]| v.iter().map(|t| t.rps).collect::<Vec<_>>();
    let p99 = |v: &[Trial]| v.iter().map(|t| t.p99_us).collect::<Vec<_>>();
    let p50 = |v: &[Trial]| v.iter().map(|t| t.p50_us).collect::<Vec<_>>();
    let (c_rps, h_rps) = (median(&rps(&cart)), median(&rps(&hello)));
    let ratio = c_rps / h_rps;
    let errors: u64 = cart.iter().chain(hello.iter()).map(|t| t.errors).sum();
    Figure {
        id: "sandbox".into(),
        title: "Sandbox: GET v2 cart under loopback load vs an axum hello-world route".into(),
        value_label: "median requests/s of GET /api/v2/domains/staging.luma.gift/cart".into(),
        value: r3(c_rps),
        unit: "req/s".into(),
        baseline_label: "median requests/s of an axum hello-world route, same runtime".into(),
        baseline: r3(h_rps),
        ratio: r3(ratio),
        target: "ratio ≥ 0.5".into(),
        met: Some(ratio >= 0.5),
        runs: trials,
        details: json!({
            "cart_rps": r3s(&rps(&cart)),
            "hello_rps": r3s(&rps(&hello)),
            "cart_p99_us": r3(median(&p99(&cart))),
            "hello_p99_us": r3(median(&p99(&hello))),
            "cart_p50_us": r3(median(&p50(&cart))),
            "hello_p50_us": r3(median(&p50(&hello))),
            "p99_ratio": r3(median(&p99(&cart)) / median(&p99(&hello))),
            "cart_cpu_us_per_request": r3(median(&cart.iter().map(|t| t.cpu_us_per_req).collect::<Vec<_>>())),
            "hello_cpu_us_per_request": r3(median(&hello.iter().map(|t| t.cpu_us_per_req).collect::<Vec<_>>())),
            "cart_cores_busy": r3(median(&cart.iter().map(|t| t.cores).collect::<Vec<_>>())),
            "hello_cores_busy": r3(median(&hello.iter().map(|t| t.cores).collect::<Vec<_>>())),
            "cpu_note": "process CPU (server runtime + the 1-thread load generator) per request; cores busy = CPU s / wall s",
            "connections": connections,
            "seconds_per_trial": seconds,
            "cart_bytes": cart_bytes,
            "errors": errors,
            "load_generator": "in-process, 1 thread, keep-alive HTTP/1.1, fixed request bytes",
        }),
    }
    .write(out)
}
