//! `firmly shipment …`: one shipment's steps, as the app takes them (one backend step each):
//! show it (its availability read, an only choice pre-selected), choose its fulfilment type
//! (and store), a delivery window, a pickup option. Each prints `{shipment, availability}`.

use clap::{Subcommand, ValueEnum};
use firmly_checkout::{Domain, FulfillmentKind, ShipmentStep};
use serde_json::json;

use crate::{print, Failure, Global, Out};

/// A fulfilment type, as the docs name it.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    ShipToAddress,
    ScheduledDelivery,
    PickupInStore,
}

impl From<Kind> for FulfillmentKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::ShipToAddress => FulfillmentKind::ShipToAddress,
            Kind::ScheduledDelivery => FulfillmentKind::ScheduledDelivery,
            Kind::PickupInStore => FulfillmentKind::PickupInStore,
        }
    }
}

#[derive(Subcommand)]
pub enum ShipmentCmd {
    /// The shipment with its availability; an only choice is pre-selected.
    Show {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        shipment: String,
    },
    /// Chooses how the shipment is fulfilled (a pickup store with `--location`).
    Type {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        shipment: String,
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long)]
        location: Option<String>,
    },
    /// Chooses a scheduled delivery's window (dates narrow to it); without `--window`, clears it.
    Window {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        shipment: String,
        #[arg(long)]
        window: Option<String>,
    },
    /// Chooses how a pickup is handed over (`curbside`, `in-store`, as the availability lists).
    PickupOption {
        #[arg(long)]
        domain: Domain,
        #[arg(long)]
        shipment: String,
        #[arg(long)]
        option: String,
    },
}

pub async fn run(g: &Global, cmd: ShipmentCmd) -> Out {
    let d = crate::desk::open(g).await?;
    let svc = d.service();
    let (step, sid) = match cmd {
        ShipmentCmd::Show { domain, shipment } => {
            (svc.prepare_shipment(&domain, &shipment).await?, shipment)
        }
        ShipmentCmd::Type {
            domain,
            shipment,
            kind,
            location,
        } => (
            svc.set_fulfillment(&domain, &shipment, kind.into(), location)
                .await?,
            shipment,
        ),
        ShipmentCmd::Window {
            domain,
            shipment,
            window,
        } => (
            svc.choose_delivery_window(&domain, &shipment, window)
                .await?,
            shipment,
        ),
        ShipmentCmd::PickupOption {
            domain,
            shipment,
            option,
        } => (
            svc.choose_pickup_option(&domain, &shipment, &option)
                .await?,
            shipment,
        ),
    };
    print(&step_json(&step, &sid)?);
    Ok(())
}

fn step_json(step: &ShipmentStep, sid: &str) -> Result<serde_json::Value, Failure> {
    let shipment = step
        .cart
        .shipments
        .iter()
        .find(|s| s.shipment_id == sid)
        .ok_or_else(|| Failure::Input(format!("no shipment {sid} in the cart")))?;
    Ok(json!({"shipment": shipment, "availability": step.availability}))
}
