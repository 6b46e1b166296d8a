//! Tauri commands: each is one line over the desk or its checkout service (a command parses
//! nothing and decides nothing; kiosk refusals, validation and placement rules live in
//! `firmly-checkout`). Errors cross IPC as `ApiError`. The shopper's commands (catalog,
//! carts, shipments, checkout, orders, sign-in) are here; the desk's own (support, session,
//! settings, staff, demo, links, clipboard) in `desk.rs`. The one list of them all is
//! `src-tauri/command_list.rs`.
//!
//! Commands are `async` (run on the async runtime) unless they are trivial: a synchronous
//! command runs on the main thread, where it would hold up the window's events and IPC.

use firmly_api::ApiError;
use firmly_checkout::validation;
use firmly_checkout::Domain;
use firmly_checkout::*;
use tauri::State;

use crate::state::AppState;

mod desk;
pub use desk::*;

type R<T> = Result<T, ApiError>;

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> R<AppInfo> {
    state.service().await?.app_info().await
}

#[tauri::command]
#[specta::specta]
pub async fn list_products(
    state: State<'_, AppState>,
    domain: String,
) -> R<Vec<ProductSummaryView>> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.products(&domain).await
}

/// Prices for the catalog's cards (the product list carries none).
#[tauri::command]
#[specta::specta]
pub async fn product_prices(
    state: State<'_, AppState>,
    domain: String,
    handles: Vec<String>,
) -> R<Vec<ProductPriceView>> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .product_prices(&domain, handles)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_product(
    state: State<'_, AppState>,
    domain: String,
    handle: String,
) -> R<ProductView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.product(&domain, &handle).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_hive(state: State<'_, AppState>) -> R<HiveView> {
    state.service().await?.hive().await
}

#[tauri::command]
#[specta::specta]
pub async fn get_cart(state: State<'_, AppState>, domain: String) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.cart(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_to_cart(
    state: State<'_, AppState>,
    domain: String,
    variant_id: String,
    quantity: u32,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .add_item(&domain, &variant_id, quantity)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_quantity(
    state: State<'_, AppState>,
    domain: String,
    line_item_id: String,
    quantity: u32,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_quantity(&domain, &line_item_id, quantity)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn clear_cart(state: State<'_, AppState>, domain: String) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.clear_cart(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn undo_removal(state: State<'_, AppState>, domain: String) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.undo_removal(&domain).await
}

#[tauri::command]
#[specta::specta]
pub fn address_form() -> firmly_checkout::regions::AddressFormView {
    firmly_checkout::regions::address_form()
}

#[tauri::command]
#[specta::specta]
pub fn validate_address(
    address: AddressView,
    shipping: bool,
    optional_fields: Vec<String>,
) -> Vec<FieldErrorView> {
    validation::address_problems(&address, shipping, &optional_fields)
}

#[tauri::command]
#[specta::specta]
pub async fn set_shipping_info(
    state: State<'_, AppState>,
    domain: String,
    address: AddressView,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_shipping_info(&domain, address)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn apply_address_to_all(
    state: State<'_, AppState>,
    address: AddressView,
) -> R<Vec<CartResult>> {
    state.service().await?.apply_address_to_all(address).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_billing_info(
    state: State<'_, AppState>,
    domain: String,
    address: AddressView,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_billing_info(&domain, address)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_postal_code(
    state: State<'_, AppState>,
    postal_code: Option<String>,
) -> R<HiveView> {
    state
        .service()
        .await?
        .set_postal_code(postal_code.as_deref())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_fulfillment(
    state: State<'_, AppState>,
    domain: String,
    shipment_id: String,
    kind: FulfillmentKind,
    location_id: Option<String>,
) -> R<ShipmentStep> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_fulfillment(&domain, &shipment_id, kind, location_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn prepare_shipment(
    state: State<'_, AppState>,
    domain: String,
    shipment_id: String,
) -> R<ShipmentStep> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .prepare_shipment(&domain, &shipment_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn choose_delivery_window(
    state: State<'_, AppState>,
    domain: String,
    shipment_id: String,
    window_id: Option<String>,
) -> R<ShipmentStep> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .choose_delivery_window(&domain, &shipment_id, window_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn choose_pickup_option(
    state: State<'_, AppState>,
    domain: String,
    shipment_id: String,
    option_id: String,
) -> R<ShipmentStep> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .choose_pickup_option(&domain, &shipment_id, &option_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_shipment_method(
    state: State<'_, AppState>,
    domain: String,
    choice: ShipmentChoice,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_shipment_method(&domain, choice)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn select_addon(
    state: State<'_, AppState>,
    domain: String,
    choice: AddonChoice,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.select_addon(&domain, choice).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_addon(
    state: State<'_, AppState>,
    domain: String,
    addon_id: String,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .remove_addon(&domain, &addon_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn apply_promo(state: State<'_, AppState>, domain: String, code: String) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.apply_promo(&domain, &code).await
}

#[tauri::command]
#[specta::specta]
pub async fn clear_promos(state: State<'_, AppState>, domain: String) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.clear_promos(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_consents(state: State<'_, AppState>, domain: String) -> R<Vec<ConsentView>> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.consents(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_consent(
    state: State<'_, AppState>,
    domain: String,
    id: String,
    granted: bool,
) -> R<Vec<ConsentView>> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .set_consent(&domain, &id, granted)
        .await
}

#[tauri::command]
#[specta::specta]
pub fn validate_card(card: CardInput) -> CardCheckView {
    validation::card_check(&card)
}

#[tauri::command]
#[specta::specta]
pub async fn add_by_link(
    state: State<'_, AppState>,
    link: String,
    variant_id: Option<String>,
    quantity: u32,
) -> R<LinkAdd> {
    state
        .service()
        .await?
        .add_by_link(&link, variant_id, quantity)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn place_card_order(
    state: State<'_, AppState>,
    domain: String,
    card: CardInput,
    billing: Option<AddressView>,
    override_pending: bool,
) -> R<OrderOutcome> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .place_card_order(&domain, card, billing, override_pending)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn place_saved_card_order(
    state: State<'_, AppState>,
    domain: String,
    payment_id: String,
    override_pending: bool,
) -> R<OrderOutcome> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .place_saved_card_order(&domain, &payment_id, override_pending)
        .await
}

/// What "Pay all" would pay now (its button's count and amount).
#[tauri::command]
#[specta::specta]
pub async fn pay_all_preview(state: State<'_, AppState>) -> R<PayAllPreview> {
    Ok(state.service().await?.pay_all_preview())
}

#[tauri::command]
#[specta::specta]
pub async fn pay_all(
    state: State<'_, AppState>,
    card: CardInput,
    billing: Option<AddressView>,
) -> R<Vec<PayAllEntry>> {
    state.service().await?.pay_all(card, billing).await
}

#[tauri::command]
#[specta::specta]
pub async fn check_order(state: State<'_, AppState>, domain: String) -> R<OrderOutcome> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.check_order(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn paypal_open(state: State<'_, AppState>, domain: String) -> R<()> {
    let domain = Domain::parse(&domain)?;
    state.windows()?.open_paypal(domain).await
}

#[tauri::command]
#[specta::specta]
pub fn paypal_close(state: State<'_, AppState>) -> R<()> {
    state.windows().map(|w| w.close_paypal())
}

#[tauri::command]
#[specta::specta]
pub async fn paypal_complete(
    state: State<'_, AppState>,
    domain: String,
    override_pending: bool,
) -> R<OrderOutcome> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .paypal_complete(&domain, override_pending)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn request_otp(
    state: State<'_, AppState>,
    domain: String,
    email: String,
) -> R<Vec<String>> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.request_otp(&domain, &email).await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_otp(
    state: State<'_, AppState>,
    domain: String,
    email: String,
    otp: String,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .verify_otp(&domain, &email, &otp)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_session(
    state: State<'_, AppState>,
    domain: String,
    handle: String,
    cookies: Vec<String>,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .transfer_session(&domain, &handle, cookies)
        .await
}
