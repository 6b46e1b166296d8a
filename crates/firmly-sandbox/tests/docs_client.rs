//! The `docs` profile judged by a client written from the Firmly docs alone
//! (`tests/docs_client/firmly_docs_client.py`, see its README): each test starts the sandbox in
//! process in the docs profile on `127.0.0.1:0`, runs one flow of the Python client against
//! it, expects exit status 0 and finds the order the client printed among
//! `GET /__sandbox/orders` with the flow's merchant and payment type.
//!
//! The interpreter is `FIRMLY_DOCS_CLIENT_PYTHON`, else `/usr/bin/python3` when it exists,
//! else `python3`; it must import `cryptography` (Debian: `python3-cryptography`). A missing
//! interpreter or module fails the test, never skips it. The client writes nothing; its
//! working directory is a fresh temporary directory, removed afterwards.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use firmly_sandbox::{start, Profile, SandboxConfig};
use serde_json::Value;

const INSTALL_HINT: &str = "install python3-cryptography (Debian/Ubuntu: `apt-get install \
     python3-cryptography`) or point FIRMLY_DOCS_CLIENT_PYTHON at a Python 3 that can \
     `import cryptography`";

fn interpreter() -> String {
    if let Ok(p) = std::env::var("FIRMLY_DOCS_CLIENT_PYTHON") {
        if !p.trim().is_empty() {
            return p;
        }
    }
    if Path::new("/usr/bin/python3").exists() {
        return "/usr/bin/python3".to_string();
    }
    "python3".to_string()
}

fn client_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs_client/firmly_docs_client.py")
}

/// A directory of our own under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(flow: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "firmly-docs-client-{flow}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python(dir: &Path, args: &[&str]) -> std::io::Result<Output> {
    Command::new(interpreter())
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env_remove("PYTHONSTARTUP")
        .output()
}

fn show(out: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `Err` (the test then fails, never skips) when the interpreter or its `cryptography` module
/// is missing.
fn check_python_with_cryptography(dir: &Path) -> Result<(), String> {
    let python_name = interpreter();
    match python(dir, &["-B", "-c", "import cryptography"]) {
        Err(e) => Err(format!(
            "the docs client needs a Python 3 interpreter: `{python_name}` could not be run \
             ({e}); {INSTALL_HINT}"
        )),
        Ok(out) if !out.status.success() => Err(format!(
            "`{python_name} -c 'import cryptography'` failed; {INSTALL_HINT}\n{}",
            show(&out)
        )),
        Ok(_) => Ok(()),
    }
}

/// The order number the client printed: its stdout line `order_number=<n>` (the last one).
fn printed_order_number(out: &Output) -> Option<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("order_number=").map(str::to_string))
        .next_back()
}

async fn run_flow(flow: &'static str, domain: &str, payment_type: &str) {
    let sandbox = start(SandboxConfig {
        profile: Profile::Docs,
        ..SandboxConfig::default()
    })
    .await
    .expect("start the docs sandbox");
    assert_eq!(sandbox.profile(), Profile::Docs);
    let base = sandbox.base_url();
    let dir = TempDir::new(flow);
    let work = dir.0.clone();
    let script = client_script();
    let api = base.clone();

    // The client blocks on HTTP to this very runtime: run it on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        check_python_with_cryptography(&work)?;
        let script = script.to_string_lossy().into_owned();
        python(&work, &["-B", &script, "--api", &api, "--flow", flow]).map_err(|e| {
            format!(
                "run the docs client with `{}`: {e}; {INSTALL_HINT}",
                interpreter()
            )
        })
    })
    .await
    .expect("the client thread")
    .unwrap_or_else(|message| panic!("{message}"));

    assert!(
        out.status.success(),
        "the docs client's `{flow}` flow failed against the docs sandbox\n{}",
        show(&out)
    );
    let number = printed_order_number(&out).unwrap_or_else(|| {
        panic!(
            "the `{flow}` flow exited 0 without printing `order_number=…`\n{}",
            show(&out)
        )
    });

    let orders: Value = reqwest::get(format!("{base}/__sandbox/orders"))
        .await
        .expect("GET /__sandbox/orders")
        .json()
        .await
        .expect("the orders list is JSON");
    let listed = orders
        .as_array()
        .unwrap_or_else(|| panic!("/__sandbox/orders is not a list: {orders}"));
    let order = listed
        .iter()
        .find(|o| o["order_number"].as_str() == Some(number.as_str()))
        .unwrap_or_else(|| {
            panic!(
                "order {number} printed by the client is not in /__sandbox/orders: {orders}\n{}",
                show(&out)
            )
        });
    assert_eq!(
        order["domain"].as_str(),
        Some(domain),
        "order {number}: {order}\n{}",
        show(&out)
    );
    assert_eq!(
        order["payment_type"].as_str(),
        Some(payment_type),
        "order {number}: {order}\n{}",
        show(&out)
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_flow_places_an_order_as_the_docs_describe() {
    run_flow("card", "staging.luma.gift", "CreditCard").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_paypal_flow_places_an_order_as_the_docs_describe() {
    run_flow("paypal", "staging.luma.gift", "PayPal").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_card_flow_places_an_order_as_the_docs_describe() {
    run_flow("saved-card", "members.test", "CreditCard").await;
}
