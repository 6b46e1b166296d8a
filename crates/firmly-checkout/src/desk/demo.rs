//! The demo helper (demo mode on the embedded sandbox only): what a sales engineer needs at
//! hand — the one-time codes the sandbox "sent", its test cards and promo codes — and
//! scenario switches over the sandbox's faults (a declined card, a lost response that shows
//! a pending order, an unavailable store). Refused anywhere else: a live desk has no sandbox,
//! and a kiosk or an agent never fakes a merchant's answer.

use firmly_api::ApiError;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Desk;
use crate::settings::Mode;

/// A scenario a demo can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DemoScenario {
    /// The next card order is declined (`CreditCardDeclined`).
    Declined,
    /// The next order's answer is lost after the merchant took it: the order shows pending.
    LostResponse,
    /// Every merchant's store is unavailable (`StoreUnavailable`) until switched off.
    StoreUnavailable,
}

impl DemoScenario {
    #[cfg_attr(not(feature = "embedded-sandbox"), allow(dead_code))]
    const ALL: [DemoScenario; 3] = [
        DemoScenario::Declined,
        DemoScenario::LostResponse,
        DemoScenario::StoreUnavailable,
    ];

    fn label(self) -> &'static str {
        match self {
            DemoScenario::Declined => "demo:declined",
            DemoScenario::LostResponse => "demo:lost_response",
            DemoScenario::StoreUnavailable => "demo:store_unavailable",
        }
    }
}

/// A one-time code the sandbox sent, as the shopper's inbox would show it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DemoCode {
    pub email: String,
    pub code: String,
}

/// A test card and what it does (`approved` or the error id it answers).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DemoCard {
    pub number: String,
    pub last_four: String,
    pub outcome: String,
}

/// A promo code and what it does (`items_10_percent`, `free_shipping`, `rejected`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DemoPromo {
    pub code: String,
    pub effect: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DemoScenarioState {
    pub scenario: DemoScenario,
    /// Armed: it will happen (a one-time scenario is off again once it happened).
    pub on: bool,
}

/// Everything the demo helper shows.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DemoHelperView {
    pub codes: Vec<DemoCode>,
    pub cards: Vec<DemoCard>,
    pub promo_codes: Vec<DemoPromo>,
    pub scenarios: Vec<DemoScenarioState>,
}

impl Desk {
    fn refuse_outside_demo(&self) -> Result<(), ApiError> {
        if self.launch.mode != Mode::Demo {
            return Err(ApiError::mode_restricted(
                "The demo helper exists in demo mode only.",
            ));
        }
        Ok(())
    }

    /// The demo helper's contents.
    pub async fn demo_helper(&self) -> Result<DemoHelperView, ApiError> {
        self.refuse_outside_demo()?;
        #[cfg(feature = "embedded-sandbox")]
        {
            let sandbox = self.sandbox.lock().await;
            let Some(h) = sandbox.as_ref() else {
                return Err(no_sandbox());
            };
            Ok(DemoHelperView {
                codes: h
                    .one_time_codes()
                    .into_iter()
                    .map(|(email, code)| DemoCode { email, code })
                    .collect(),
                cards: firmly_sandbox::TEST_CARDS
                    .iter()
                    .map(|(number, outcome)| DemoCard {
                        number: number.to_string(),
                        last_four: number
                            .chars()
                            .skip(number.chars().count().saturating_sub(4))
                            .collect(),
                        outcome: outcome.to_string(),
                    })
                    .collect(),
                promo_codes: firmly_sandbox::DEMO_PROMO_CODES
                    .iter()
                    .map(|(code, effect)| DemoPromo {
                        code: code.to_string(),
                        effect: effect.to_string(),
                    })
                    .collect(),
                scenarios: DemoScenario::ALL
                    .into_iter()
                    .map(|s| DemoScenarioState {
                        scenario: s,
                        on: h.labelled_faults_armed(s.label()),
                    })
                    .collect(),
            })
        }
        #[cfg(not(feature = "embedded-sandbox"))]
        Err(no_sandbox())
    }

    /// Switches a scenario on or off, then answers the helper's contents.
    pub async fn demo_scenario(
        &self,
        scenario: DemoScenario,
        on: bool,
    ) -> Result<DemoHelperView, ApiError> {
        self.refuse_outside_demo()?;
        #[cfg(feature = "embedded-sandbox")]
        {
            let sandbox = self.sandbox.lock().await;
            let Some(h) = sandbox.as_ref() else {
                return Err(no_sandbox());
            };
            let rules = if on { rules_of(scenario) } else { Vec::new() };
            h.set_labelled_faults(scenario.label(), rules);
        }
        self.service().audit(
            None,
            "demo_scenario",
            &format!("{}:{}", scenario.label(), if on { "on" } else { "off" }),
        );
        self.demo_helper().await
    }
}

fn no_sandbox() -> ApiError {
    ApiError::mode_restricted("The demo helper needs the embedded sandbox (this desk is live).")
}

/// Cart reads that fail after a lost response: the desk's two quick checks, the screen's
/// own re-read and the first background check (`orders::ReconcilePolicy`), so the pending
/// order shows for a few seconds.
#[cfg(feature = "embedded-sandbox")]
const LOST_RESPONSE_HIDDEN_READS: u32 = 4;

#[cfg(feature = "embedded-sandbox")]
fn rules_of(scenario: DemoScenario) -> Vec<firmly_sandbox::FaultRule> {
    let rule = |method: Option<&str>, path: &str| firmly_sandbox::FaultRule {
        matcher: firmly_sandbox::FaultMatch {
            method: method.map(str::to_string),
            path_contains: path.to_string(),
        },
        status: None,
        error: None,
        delay_ms: None,
        drop_connection: false,
        after_commit: false,
        hold: false,
        times: None,
        label: None,
    };
    match scenario {
        DemoScenario::Declined => vec![firmly_sandbox::FaultRule {
            status: Some(422),
            error: Some("CreditCardDeclined".into()),
            times: Some(1),
            ..rule(Some("POST"), "payment/complete-order")
        }],
        // The merchant takes the order and its answer is lost; its first few cart reads then
        // fail (409, never retried), so the desk's quick checks find no evidence and the
        // order shows pending until the background check finds it placed. (The demo
        // sandbox keeps a submitted cart readable: without these the desk would settle the
        // order before answering, and the demo would never show a pending order.)
        DemoScenario::LostResponse => vec![
            firmly_sandbox::FaultRule {
                after_commit: true,
                times: Some(1),
                ..rule(Some("POST"), "complete-order")
            },
            firmly_sandbox::FaultRule {
                status: Some(409),
                error: Some("PleaseTryAgainLater".into()),
                times: Some(LOST_RESPONSE_HIDDEN_READS),
                ..rule(Some("GET"), "/cart")
            },
        ],
        DemoScenario::StoreUnavailable => vec![firmly_sandbox::FaultRule {
            status: Some(503),
            error: Some("StoreUnavailable".into()),
            ..rule(None, "/cart")
        }],
    }
}
