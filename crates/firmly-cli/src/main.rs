//! `firmly`: the command line for support agents and scripts (CONTRACTS.md §2). Every flow
//! of the app's support drawer can be scripted here.
//! Exit status: 0 success, 1 API error (normalized error JSON on stderr), 2 bad input or
//! decode failure (the message names the JSON path), 3 order outcome still unknown.

// `ApiError` is the IPC error contract (ARCHITECTURE.md contract 1): its fields are read
// directly by every layer, and it travels on the cold path only, so it is not boxed.
#![allow(clippy::result_large_err)]

mod desk;
mod inspect;
mod orders;
mod shipment;
mod soak;

use firmly_checkout::Domain;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use firmly_api::{ApiError, ErrorCode};
use serde_json::json;

const EXAMPLES: &str = "\
Examples:
  firmly sandbox serve --port 8787 --profile docs
  export FIRMLY_API_BASE=http://127.0.0.1:8787 FIRMLY_SESSION=/tmp/desk.json
  firmly cart add --domain staging.luma.gift --variant MH07-M-Black --qty 2
  firmly cart show --domain staging.luma.gift --raw
  firmly carts active --exclude gadgets.test
  firmly carts address --shipping ship.json
  firmly postal-code set 98101
  firmly checkout --domain staging.luma.gift --shipping ship.json --card card.json --accept-consents
  firmly carts checkout-all --shipping ship.json --card card.json --accept-consents
  firmly order status --domain staging.luma.gift
  firmly session transfer --domain homegoods.test --handle external-session-42
  firmly snapshot export --redact --out case.json ; firmly snapshot import case.json
  firmly audit show --limit 20 ; firmly audit export --out audit.jsonl
  firmly inspect --kind cart cart.json
  firmly encrypt-card --key key.jwk < card.json
  firmly soak --orders 100 --seed 7 --timeout-ms 400";

#[derive(Parser)]
#[command(
    name = "firmly",
    version,
    about = "Firmly commerce API from the command line",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args)]
pub struct Global {
    /// Base URL of the Firmly API (e.g. the sandbox's `listening on` URL).
    #[arg(long, global = true, env = "FIRMLY_API_BASE")]
    pub api: Option<String>,
    /// Base URL of the card vault (required for a remote API; a loopback sandbox serves both).
    #[arg(long, global = true, env = "FIRMLY_VAULT_BASE")]
    pub vault: Option<String>,
    /// Firmly application id.
    #[arg(
        long = "app-id",
        global = true,
        env = "FIRMLY_APP_ID",
        default_value = "sandbox-app"
    )]
    pub app_id: String,
    /// File that keeps the access token and device id between invocations (the app's store
    /// file works too: the CLI then shares its session, order guard and audit log).
    #[arg(long, global = true, env = "FIRMLY_SESSION")]
    pub session: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Runs the local Firmly sandbox.
    Sandbox {
        #[command(subcommand)]
        cmd: SandboxCmd,
    },
    /// Decodes a JSON document with the client's models and prints a normalized summary.
    Inspect {
        #[arg(long)]
        kind: String,
        /// File to read, or `-` for stdin.
        file: String,
    },
    /// Encrypts a card read from stdin with a payment key (JWE, or v2 per-field).
    EncryptCard {
        /// JWK (JSON) or PEM public key file.
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        per_field: bool,
        /// Key id when the key file is PEM (JWK files carry their own `kid`).
        #[arg(long)]
        kid: Option<String>,
    },
    /// One merchant's cart (v2).
    Cart {
        #[command(subcommand)]
        cmd: CartCmd,
    },
    /// Every merchant's cart at once.
    Carts {
        #[command(subcommand)]
        cmd: CartsCmd,
    },
    /// Merchant session commands.
    Session {
        #[command(subcommand)]
        cmd: SessionCmd,
    },
    /// Sets shipping info, keeps default shipment choices, pays and prints the order.
    Checkout {
        #[arg(long)]
        domain: Domain,
        /// Shipping address JSON file (canonical Firmly address fields).
        #[arg(long)]
        shipping: PathBuf,
        /// Card JSON file `{number, name, month, year, verification_value}`.
        #[arg(long, conflicts_with = "paypal_payer_id")]
        card: Option<PathBuf>,
        #[arg(long = "paypal-payer-id")]
        paypal_payer_id: Option<String>,
        /// Grants the merchant's required consents (terms of sale) on the customer's behalf.
        #[arg(long)]
        accept_consents: bool,
    },
    /// One shipment's steps: show it, choose its type (and store), a window, a pickup option.
    Shipment {
        #[command(subcommand)]
        cmd: shipment::ShipmentCmd,
    },
    /// Orders whose outcome is not known yet.
    Order {
        #[command(subcommand)]
        cmd: OrderCmd,
    },
    /// The device's postal-code preference for shipping estimates.
    PostalCode {
        #[command(subcommand)]
        cmd: PostalCmd,
    },
    /// Support snapshots (resume a customer's case on another desk).
    Snapshot {
        #[command(subcommand)]
        cmd: SnapshotCmd,
    },
    /// The audit log of operator actions (needs --session: it lives beside the session file).
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Card checkouts on fresh sessions with randomized faults against a sandbox; compares
    /// every reported outcome with the sandbox's orders.
    Soak {
        #[arg(long)]
        orders: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The client's timeout; faults delay past it.
        #[arg(long = "timeout-ms", default_value_t = 400)]
        timeout_ms: u64,
    },
}

#[derive(Subcommand)]
enum SandboxCmd {
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// `demo` (default; documented extensions) or `docs` (strictly as the Firmly docs say).
        #[arg(long, default_value = "demo")]
        profile: String,
        /// Allow a non-loopback `--host` (e.g. 0.0.0.0) and answer any Host header. The admin
        /// API has no authentication: a warning is printed.
        #[arg(long = "allow-remote")]
        allow_remote: bool,
        /// Every API request (not /__sandbox/) waits this many milliseconds before it is handled.
        #[arg(long = "latency-ms", default_value_t = 0)]
        latency_ms: u64,
        /// A uniform random ±jitter around --latency-ms (never below 0).
        #[arg(long = "jitter-ms", default_value_t = 0)]
        jitter_ms: u64,
    },
}

#[derive(Subcommand)]
enum CartCmd {
    Add {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        variant: String,
        #[arg(long, default_value_t = 1)]
        qty: u32,
    },
    Show {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        raw: bool,
        /// Also print what still blocks the order.
        #[arg(long)]
        readiness: bool,
    },
}

#[derive(Subcommand)]
enum CartsCmd {
    /// Every active cart's summary.
    Active {
        #[arg(long, value_delimiter = ',')]
        exclude: Vec<String>,
    },
    /// Applies one shipping address to every cart with items; prints each cart's result.
    Address {
        #[arg(long)]
        shipping: PathBuf,
    },
    /// Pays every ready cart with one card (one order per merchant, a fresh key each).
    CheckoutAll {
        #[arg(long)]
        shipping: PathBuf,
        #[arg(long)]
        card: PathBuf,
        #[arg(long)]
        accept_consents: bool,
    },
}

#[derive(Subcommand)]
enum SessionCmd {
    Transfer {
        #[arg(long)]
        domain: Domain,
        /// Handle string, or a JSON object.
        #[arg(long)]
        handle: String,
        #[arg(long = "cookie")]
        cookies: Vec<String>,
    },
}

#[derive(Subcommand)]
enum OrderCmd {
    /// Settles a pending order left by an interrupted checkout of this session file.
    Status {
        #[arg(long)]
        domain: Domain,
    },
}

#[derive(Subcommand)]
enum PostalCmd {
    /// Sets (or, with no code, clears) the device-wide postal code.
    Set { code: Option<String> },
}

#[derive(Subcommand)]
enum SnapshotCmd {
    Export {
        /// Remove names, contact details and street addresses from the carts.
        #[arg(long)]
        redact: bool,
        /// Where to write it (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    Import {
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    Show {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

/// How a command failed, mapped to the documented exit status.
pub enum Failure {
    Api(ApiError),
    Input(String),
    /// An order's outcome is not known yet (exit 3); the message says how to check.
    Unknown(String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        match e.code {
            code if code == ErrorCode::Decode || code.refused_before_sending() => {
                Failure::Input(match &e.field {
                    Some(f) => format!("{f}: {}", e.message),
                    None => e.message.clone(),
                })
            }
            ErrorCode::OrderOutcomeUnknown | ErrorCode::OrderPending => {
                Failure::Unknown(e.message.clone())
            }
            _ => Failure::Api(e),
        }
    }
}

pub type Out = Result<(), Failure>;

pub fn read_input(file: &str) -> Result<Vec<u8>, Failure> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::Input(format!("cannot read stdin: {e}")))?;
        Ok(buf)
    } else {
        std::fs::read(file).map_err(|e| Failure::Input(format!("cannot read {file}: {e}")))
    }
}

pub fn parse_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, Failure> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de)
        .map_err(|e| Failure::Input(format!("{what}: at `{}`: {}", e.path(), e.inner())))
}

pub fn print(v: &serde_json::Value) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("{e}"),
    }
}

async fn run(cli: Cli) -> Out {
    let g = &cli.global;
    match cli.command {
        Cmd::Sandbox {
            cmd:
                SandboxCmd::Serve {
                    host,
                    port,
                    profile,
                    allow_remote,
                    latency_ms,
                    jitter_ms,
                },
        } => {
            desk::serve(desk::ServeFlags {
                host,
                port,
                profile,
                allow_remote,
                latency_ms,
                jitter_ms,
            })
            .await
        }
        Cmd::Inspect { kind, file } => {
            let bytes = read_input(&file)?;
            print(&inspect::inspect(&kind, &bytes).map_err(Failure::Input)?);
            Ok(())
        }
        Cmd::EncryptCard {
            key,
            per_field,
            kid,
        } => {
            let key_text = std::fs::read_to_string(&key)
                .map_err(|e| Failure::Input(format!("cannot read {}: {e}", key.display())))?;
            let card_bytes = read_input("-")?;
            let card: firmly_api::CardDetails = parse_json("card", &card_bytes)?;
            let out = inspect::encrypt_card(&key_text, kid.as_deref(), &card, per_field)
                .map_err(Failure::Input)?;
            println!("{out}");
            Ok(())
        }
        Cmd::Cart { cmd } => {
            let d = desk::open(g).await?;
            let svc = d.service();
            let (domain, view, raw, readiness) = match cmd {
                CartCmd::Add {
                    domain,
                    variant,
                    qty,
                } => {
                    let view = svc.add_item(&domain, &variant, qty).await?;
                    (domain, view, false, false)
                }
                CartCmd::Show {
                    domain,
                    raw,
                    readiness,
                } => {
                    let view = svc.cart(&domain).await?;
                    (domain, view, raw, readiness)
                }
            };
            let cart_raw: serde_json::Value = svc
                .raw_cart(&domain)?
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_else(|| json!({"domain": domain, "line_items": []}));
            if raw {
                print(&cart_raw);
            } else {
                let mut summary =
                    inspect::cart_summary_value(&domain, &cart_raw).map_err(Failure::Input)?;
                if readiness {
                    summary["blockers"] = json!(view
                        .blockers
                        .iter()
                        .map(|b| b.to_string())
                        .collect::<Vec<_>>());
                }
                print(&summary);
            }
            Ok(())
        }
        Cmd::Carts { cmd } => {
            let d = desk::open(g).await?;
            match cmd {
                CartsCmd::Active { exclude } => orders::active(&d, &exclude).await,
                CartsCmd::Address { shipping } => orders::address_all(&d, &shipping).await,
                CartsCmd::CheckoutAll {
                    shipping,
                    card,
                    accept_consents,
                } => orders::checkout_all(&d, &shipping, &card, accept_consents).await,
            }
        }
        Cmd::Session {
            cmd:
                SessionCmd::Transfer {
                    domain,
                    handle,
                    cookies,
                },
        } => {
            let d = desk::open(g).await?;
            let view = d
                .service()
                .transfer_session(&domain, &handle, cookies)
                .await?;
            let raw: serde_json::Value = d
                .service()
                .raw_cart(&domain)?
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            print(&inspect::cart_summary_value(&view.domain, &raw).map_err(Failure::Input)?);
            Ok(())
        }
        Cmd::Checkout {
            domain,
            shipping,
            card,
            paypal_payer_id,
            accept_consents,
        } => {
            let d = desk::open(g).await?;
            orders::checkout(
                &d,
                &domain,
                &shipping,
                card.as_deref(),
                paypal_payer_id,
                accept_consents,
            )
            .await
        }
        Cmd::Shipment { cmd } => shipment::run(g, cmd).await,
        Cmd::Order {
            cmd: OrderCmd::Status { domain },
        } => {
            let d = desk::open(g).await?;
            orders::status(&d, &domain).await
        }
        Cmd::PostalCode {
            cmd: PostalCmd::Set { code },
        } => {
            let d = desk::open(g).await?;
            d.service().set_postal_code(code.as_deref()).await?;
            print(&json!({"postal_code": code}));
            Ok(())
        }
        Cmd::Snapshot { cmd } => {
            let d = desk::open(g).await?;
            match cmd {
                SnapshotCmd::Export { redact, out } => {
                    let text = d.service().export_snapshot(redact).await?;
                    match out {
                        Some(path) => {
                            firmly_checkout::storage::write_private_file(&path, text.as_bytes())
                                .map_err(|e| {
                                    Failure::Input(format!("cannot write {}: {e}", path.display()))
                                })?;
                            print(&json!({"saved_to": path}));
                        }
                        None => println!("{text}"),
                    }
                    Ok(())
                }
                SnapshotCmd::Import { file } => {
                    let text = std::fs::read_to_string(&file).map_err(|e| {
                        Failure::Input(format!("cannot read {}: {e}", file.display()))
                    })?;
                    let opened = d.service().import_snapshot(&text).await?;
                    let device_id = if opened.read_only {
                        None
                    } else {
                        d.service().app_info().await?.device_id
                    };
                    print(&json!({
                        "device_id": device_id,
                        "read_only": opened.read_only,
                        "carts": opened.hive.carts.len()
                    }));
                    Ok(())
                }
            }
        }
        Cmd::Audit { cmd } => {
            let d = desk::open(g).await?;
            if d.data_dir().is_none() {
                return Err(Failure::Input(
                    "the audit log lives beside the session file: pass --session FILE".into(),
                ));
            }
            match cmd {
                AuditCmd::Show { limit } => {
                    print(&json!(d.audit_entries(limit)?));
                }
                AuditCmd::Export { out } => {
                    firmly_checkout::storage::write_private_file(
                        &out,
                        d.audit_log().export_text().as_bytes(),
                    )
                    .map_err(|e| Failure::Input(format!("cannot write {}: {e}", out.display())))?;
                    print(&json!({"saved_to": out}));
                }
            }
            Ok(())
        }
        Cmd::Soak {
            orders,
            seed,
            timeout_ms,
        } => soak::run(g, orders, seed, timeout_ms).await,
    }
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FIRMLY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Unknown(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(3)
        }
        Err(Failure::Api(e)) => {
            eprintln!("{}", serde_json::to_string(&e).unwrap_or_default());
            ExitCode::from(1)
        }
    }
}
