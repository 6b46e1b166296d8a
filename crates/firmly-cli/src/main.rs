//! `firmly`: the command line for support agents and scripts (CONTRACTS.md §2).
//! Exit status: 0 success, 1 API error (normalized error JSON on stderr), 2 bad input or
//! decode failure (the message names the JSON path), 3 order outcome still unknown.

mod inspect;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use firmly_api::{ApiError, ClientConfig, FirmlyClient};
use firmly_checkout::{
    demo_merchants, AddressView, CardInput, CheckoutService, Environment, JsonFileStore,
    MemoryStore, Mode, NoEvents, Persistence,
};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "firmly",
    version,
    about = "Firmly commerce API from the command line"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args)]
struct Global {
    /// Base URL of the Firmly API (e.g. the sandbox's `listening on` URL).
    #[arg(long, global = true, env = "FIRMLY_API_BASE")]
    api: Option<String>,
    /// Base URL of the card vault (defaults to --api).
    #[arg(long, global = true, env = "FIRMLY_VAULT_BASE")]
    vault: Option<String>,
    /// Firmly application id.
    #[arg(
        long = "app-id",
        global = true,
        env = "FIRMLY_APP_ID",
        default_value = "sandbox-app"
    )]
    app_id: String,
    /// File that keeps the access token and device id between invocations.
    #[arg(long, global = true, env = "FIRMLY_SESSION")]
    session: Option<PathBuf>,
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
    /// Cart commands (v2).
    Cart {
        #[command(subcommand)]
        cmd: CartCmd,
    },
    /// Multi-merchant carts.
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
        domain: String,
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
}

#[derive(Subcommand)]
enum SandboxCmd {
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

#[derive(Subcommand)]
enum CartCmd {
    Add {
        #[arg(long)]
        domain: String,
        #[arg(long)]
        variant: String,
        #[arg(long, default_value_t = 1)]
        qty: u32,
    },
    Show {
        #[arg(long)]
        domain: String,
        #[arg(long)]
        raw: bool,
    },
}

#[derive(Subcommand)]
enum CartsCmd {
    Active {
        #[arg(long, value_delimiter = ',')]
        exclude: Vec<String>,
    },
}

#[derive(Subcommand)]
enum SessionCmd {
    Transfer {
        #[arg(long)]
        domain: String,
        /// Handle string, or a JSON object.
        #[arg(long)]
        handle: String,
        #[arg(long = "cookie")]
        cookies: Vec<String>,
    },
}

/// How a command failed, mapped to the documented exit status.
enum Failure {
    Api(ApiError),
    Input(String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        match e.code.as_str() {
            "Decode" | "Validation" => Failure::Input(e.message.clone()),
            _ => Failure::Api(e),
        }
    }
}

type Out = Result<(), Failure>;

fn read_input(file: &str) -> Result<Vec<u8>, Failure> {
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

fn parse_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, Failure> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de)
        .map_err(|e| Failure::Input(format!("{what}: at `{}`: {}", e.path(), e.inner())))
}

fn print(v: &serde_json::Value) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("{e}"),
    }
}

fn service(g: &Global) -> Result<CheckoutService, Failure> {
    let api = g.api.clone().ok_or_else(|| {
        Failure::Input("--api URL is required (or FIRMLY_API_BASE); e.g. the URL printed by `firmly sandbox serve`".into())
    })?;
    let api_url = firmly_checkout::launch::parse_base_url("--api", &api).map_err(Failure::Input)?;
    let mut config = ClientConfig::same_host(api_url, &g.app_id);
    if let Some(v) = &g.vault {
        config.vault_base =
            firmly_checkout::launch::parse_base_url("--vault", v).map_err(Failure::Input)?;
    }
    let store: Arc<dyn firmly_checkout::KeyValueStore> = match &g.session {
        Some(path) => Arc::new(
            JsonFileStore::open(path)
                .map_err(|e| Failure::Input(format!("cannot open {}: {e}", path.display())))?,
        ),
        None => Arc::new(MemoryStore::default()),
    };
    let persistence = Persistence::new(store);
    let client = FirmlyClient::new(config, Arc::new(persistence.clone()))?;
    let env = Environment {
        name: "CLI".into(),
        mode: Mode::Agent,
        merchants: demo_merchants(),
        idle_seconds: 120,
    };
    Ok(CheckoutService::new(
        client,
        persistence,
        env,
        Arc::new(NoEvents),
    ))
}

async fn run(cli: Cli) -> Out {
    let g = &cli.global;
    match cli.command {
        Cmd::Sandbox {
            cmd: SandboxCmd::Serve { host, port },
        } => {
            let handle = firmly_sandbox::start(firmly_sandbox::SandboxConfig { host, port })
                .await
                .map_err(|e| Failure::Input(format!("cannot listen on {host}:{port}: {e}")))?;
            println!("listening on {}", handle.base_url());
            let _ = tokio::signal::ctrl_c().await;
            handle.shutdown().await;
            Ok(())
        }
        Cmd::Inspect { kind, file } => {
            let bytes = read_input(&file)?;
            let summary = inspect::inspect(&kind, &bytes).map_err(Failure::Input)?;
            print(&summary);
            Ok(())
        }
        Cmd::EncryptCard {
            key,
            per_field,
            kid,
        } => {
            let key_text = std::fs::read_to_string(&key)
                .map_err(|e| Failure::Input(format!("cannot read {}: {e}", key.display())))?;
            let mut card_bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut card_bytes)
                .map_err(|e| Failure::Input(format!("cannot read stdin: {e}")))?;
            let card: firmly_api::CardDetails = parse_json("card", &card_bytes)?;
            let out = inspect::encrypt_card(&key_text, kid.as_deref(), &card, per_field)
                .map_err(Failure::Input)?;
            println!("{out}");
            Ok(())
        }
        Cmd::Cart { cmd } => {
            let svc = service(g)?;
            let (domain, raw) = match cmd {
                CartCmd::Add {
                    domain,
                    variant,
                    qty,
                } => {
                    svc.add_item(&domain, &variant, qty).await?;
                    (domain, false)
                }
                CartCmd::Show { domain, raw } => {
                    svc.cart(&domain).await?;
                    (domain, raw)
                }
            };
            let cart = svc.raw_cart(&domain).unwrap_or_default();
            if raw {
                print(&cart);
            } else {
                print(&inspect::cart_summary_value(&domain, &cart).map_err(Failure::Input)?);
            }
            Ok(())
        }
        Cmd::Carts {
            cmd: CartsCmd::Active { exclude },
        } => {
            let svc = service(g)?;
            let active = svc.client().active_carts(&exclude).await?;
            let list: Vec<serde_json::Value> = active
                .carts
                .iter()
                .zip(
                    active
                        .domains
                        .iter()
                        .chain(std::iter::repeat(&String::new())),
                )
                .map(|(c, d)| {
                    let domain = c
                        .raw
                        .get("domain")
                        .and_then(|v| v.as_str())
                        .map(String::from)
                        .unwrap_or_else(|| d.clone());
                    inspect::cart_summary(&domain, c)
                })
                .collect();
            print(&json!(list));
            Ok(())
        }
        Cmd::Session {
            cmd:
                SessionCmd::Transfer {
                    domain,
                    handle,
                    cookies,
                },
        } => {
            let svc = service(g)?;
            svc.transfer_session(&domain, &handle, cookies).await?;
            let cart = svc.raw_cart(&domain).unwrap_or_default();
            print(&inspect::cart_summary_value(&domain, &cart).map_err(Failure::Input)?);
            Ok(())
        }
        Cmd::Checkout {
            domain,
            shipping,
            card,
            paypal_payer_id,
            accept_consents,
        } => {
            let svc = service(g)?;
            let address: AddressView = {
                let bytes = std::fs::read(&shipping).map_err(|e| {
                    Failure::Input(format!("cannot read {}: {e}", shipping.display()))
                })?;
                let wire: firmly_api::Address = parse_json("shipping", &bytes)?;
                firmly_checkout::mapping::address_view(&wire)
            };
            svc.set_shipping_info(&domain, address).await?;
            let missing: Vec<_> = svc
                .consents(&domain)
                .await?
                .into_iter()
                .filter(|c| c.required && !c.signed)
                .collect();
            for c in &missing {
                if !accept_consents {
                    return Err(Failure::Input(format!(
                        "{domain} requires consent {} (\"{}\"): pass --accept-consents to grant it",
                        c.id, c.text
                    )));
                }
                svc.set_consent(&domain, &c.id, true).await?;
            }
            let order = match (card, paypal_payer_id) {
                (Some(card_file), None) => {
                    let bytes = std::fs::read(&card_file).map_err(|e| {
                        Failure::Input(format!("cannot read {}: {e}", card_file.display()))
                    })?;
                    let c: firmly_api::CardDetails = parse_json("card", &bytes)?;
                    let input = CardInput {
                        number: c.number.clone(),
                        name: c.name.clone(),
                        exp_month: c.month.clone(),
                        exp_year: c.year.clone(),
                        cvv: c.verification_value.clone(),
                    };
                    drop(c);
                    svc.place_card_order(&domain, input, None).await?
                }
                (None, Some(payer)) => {
                    let url = svc.paypal_start(&domain).await?;
                    let token = url::Url::parse(&url)
                        .ok()
                        .and_then(|u| {
                            u.query_pairs()
                                .find(|(k, _)| k == "token")
                                .map(|(_, v)| v.to_string())
                        })
                        .unwrap_or_default();
                    svc.paypal_approved(&domain, &token, &payer).await?;
                    svc.paypal_complete(&domain).await?
                }
                _ => {
                    return Err(Failure::Input(
                        "give --card FILE or --paypal-payer-id ID".into(),
                    ))
                }
            };
            print(&json!({"order_number": order.order_number, "total": order.total.amount}));
            Ok(())
        }
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
        Err(Failure::Api(e)) if e.code == "OrderOutcomeUnknown" => {
            eprintln!(
                "{}\nThe order may still be placed: run `firmly cart show --domain <domain>` and look for cart_status \"submitted\" before retrying.",
                serde_json::to_string(&e).unwrap_or_default()
            );
            ExitCode::from(3)
        }
        Err(Failure::Api(e)) => {
            eprintln!("{}", serde_json::to_string(&e).unwrap_or_default());
            ExitCode::from(1)
        }
    }
}
