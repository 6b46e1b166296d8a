//! Tauri commands: each is one line over the desk or its checkout service (STYLE.md: a
//! command parses nothing and decides nothing; kiosk refusals, validation and placement
//! rules live in `firmly-checkout`). Errors cross IPC as `ApiError`.
//!
//! Commands are `async` (run on the async runtime) unless they are trivial: a synchronous
//! command runs on the main thread, where it would hold up the window's events and IPC.

use firmly_api::{ApiError, Field};
use firmly_checkout::validation;
use firmly_checkout::Domain;
use firmly_checkout::*;
use tauri::State;

use crate::state::AppState;

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

#[tauri::command]
#[specta::specta]
pub async fn request_log(state: State<'_, AppState>) -> R<Vec<RequestLogView>> {
    state.service().await?.request_log()
}

// Synchronous: answered from memory (≈ 0.1 ms for a 20 KB cart), so inline on the main
// thread; an async command's answer costs a cross-thread wake-up of the main loop, the
// larger part of the IPC tail on 2 shared cores (docs/BENCHMARKS.md §6).
#[tauri::command]
#[specta::specta]
pub fn raw_cart(state: State<'_, AppState>, domain: String) -> R<RawText> {
    let domain = Domain::parse(&domain)?;
    state.service_now()?.raw_cart(&domain).map(RawText)
}

/// `raw_cart`'s answer: the text sent as bytes (an `ArrayBuffer` in the page, decoded by
/// `ui/src/ipc.ts` `rawText`), or `null` when there is no cart yet. As a `String` it would be
/// escaped into a JSON string here and parsed back there (docs/BENCHMARKS.md §6).
pub struct RawText(pub Option<String>);

impl tauri::ipc::IpcResponse for RawText {
    fn body(self) -> tauri::Result<tauri::ipc::InvokeResponseBody> {
        Ok(match self.0 {
            Some(text) => tauri::ipc::InvokeResponseBody::Raw(text.into_bytes()),
            None => tauri::ipc::InvokeResponseBody::Json("null".into()),
        })
    }
}

impl specta::Type for RawText {
    fn inline(_: &mut specta::TypeCollection, _: specta::Generics) -> specta::datatype::DataType {
        use specta::datatype::DataType;
        DataType::Nullable(Box::new(DataType::Unknown))
    }
}

#[tauri::command]
#[specta::specta]
pub async fn audit_log(state: State<'_, AppState>, limit: u32) -> R<Vec<AuditEntry>> {
    state.desk().await?.audit_entries(limit)
}

#[tauri::command]
#[specta::specta]
pub async fn export_audit(state: State<'_, AppState>, choose_location: bool) -> R<Option<String>> {
    state
        .desk()
        .await?
        .export_audit(state.windows()?.as_ref(), choose_location)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn diagnostics(state: State<'_, AppState>) -> R<DiagnosticsView> {
    let platform = crate::platform::platform_text();
    state.desk().await?.diagnostics(&platform).await
}

#[tauri::command]
#[specta::specta]
pub async fn wipe_session(state: State<'_, AppState>) -> R<AppInfo> {
    // The PayPal window belongs to the customer who is leaving: it closes first, whatever
    // the API says (its data store is not persistent, so nothing of it is kept).
    if let Ok(w) = state.windows() {
        w.close_paypal();
    }
    state.service().await?.wipe_customer()
}

#[tauri::command]
#[specta::specta]
pub fn activity(state: State<'_, AppState>) {
    if let Ok(s) = state.service_now() {
        s.activity()
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> R<Settings> {
    state.desk().await?.settings_for_operator()
}

#[tauri::command]
#[specta::specta]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> R<AppInfo> {
    Ok(state.service().await?.set_language(language))
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> R<AppInfo> {
    state.desk().await?.apply_settings(settings).await
}

#[tauri::command]
#[specta::specta]
pub async fn reset_sandbox(state: State<'_, AppState>) -> R<AppInfo> {
    state.desk().await?.reset_sandbox().await
}

#[tauri::command]
#[specta::specta]
pub async fn save_receipt(
    state: State<'_, AppState>,
    order: OrderView,
    words: ReceiptWords,
    choose_location: bool,
) -> R<Option<String>> {
    state
        .desk()
        .await?
        .save_receipt(state.windows()?.as_ref(), &order, &words, choose_location)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn export_snapshot(
    state: State<'_, AppState>,
    redact: bool,
    choose_location: bool,
) -> R<Option<String>> {
    state
        .desk()
        .await?
        .export_snapshot(state.windows()?.as_ref(), redact, choose_location)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn import_snapshot(state: State<'_, AppState>, text: String) -> R<SnapshotImport> {
    state.service().await?.import_snapshot(&text).await
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_start(
    state: State<'_, AppState>,
    wallet: String,
    email: String,
) -> R<Vec<String>> {
    state.service().await?.wallet_start(&wallet, &email).await
}

#[tauri::command]
#[specta::specta]
pub async fn wallet_complete(
    state: State<'_, AppState>,
    domain: String,
    wallet: String,
    otp: String,
) -> R<CartView> {
    let domain = Domain::parse(&domain)?;
    state
        .service()
        .await?
        .wallet_complete(&domain, &wallet, &otp)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_merchant(state: State<'_, AppState>, domain: String) -> R<AppInfo> {
    let domain = Domain::parse(&domain)?;
    state.service().await?.add_merchant(&domain).await
}

#[tauri::command]
#[specta::specta]
pub async fn merchant_health(state: State<'_, AppState>, domain: String) -> R<MerchantHealth> {
    let domain = Domain::parse(&domain)?;
    Ok(state.service().await?.merchant_health(&domain).await)
}

#[tauri::command]
#[specta::specta]
pub async fn staff_unlock(state: State<'_, AppState>, pin: String) -> R<StaffView> {
    state.service().await?.staff_unlock(&pin)
}

#[tauri::command]
#[specta::specta]
pub async fn staff_lock(state: State<'_, AppState>) -> R<()> {
    state.service().await?.staff_lock();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn staff_orders(state: State<'_, AppState>) -> R<StaffView> {
    state.service().await?.staff_orders()
}

#[tauri::command]
#[specta::specta]
pub async fn staff_settle(
    state: State<'_, AppState>,
    record_id: String,
    placed: bool,
) -> R<StaffView> {
    state.service().await?.staff_settle(&record_id, placed)
}

#[tauri::command]
#[specta::specta]
pub async fn staff_end_session(state: State<'_, AppState>) -> R<AppInfo> {
    if let Ok(w) = state.windows() {
        w.close_paypal();
    }
    state.service().await?.staff_end_session()
}

#[tauri::command]
#[specta::specta]
pub async fn print_receipt(
    state: State<'_, AppState>,
    order: OrderView,
    words: ReceiptWords,
) -> R<()> {
    state.desk().await?.print_receipt(&order, &words).await
}

#[tauri::command]
#[specta::specta]
pub fn receipt_qr(url: String) -> R<QrView> {
    firmly_checkout::receipt::receipt_qr(&url)
}

/// Restarts the app from the staff panel (a kiosk's way to recover without a keyboard).
#[tauri::command]
#[specta::specta]
pub async fn staff_restart(state: State<'_, AppState>) -> R<()> {
    let service = state.service().await?;
    service.ensure_staff()?;
    service.audit_action("staff_restart");
    state.windows()?.restart();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn demo_helper(state: State<'_, AppState>) -> R<DemoHelperView> {
    state.desk().await?.demo_helper().await
}

#[tauri::command]
#[specta::specta]
pub async fn demo_scenario(
    state: State<'_, AppState>,
    scenario: DemoScenario,
    on: bool,
) -> R<DemoHelperView> {
    state.desk().await?.demo_scenario(scenario, on).await
}

/// Opens a merchant's link (a consent's terms): a checked https address only; in a
/// read-only viewer on a kiosk, else in the system's browser.
#[tauri::command]
#[specta::specta]
pub async fn open_link(state: State<'_, AppState>, url: String) -> R<()> {
    let service = state.service().await?;
    let checked = firmly_checkout::mapping::rich_text::safe_link(&url)
        .and_then(|u| url::Url::parse(&u).ok())
        .ok_or_else(|| ApiError::field(Field::Url, "This link cannot be opened."))?;
    service.audit_action("open_link");
    state
        .windows()?
        .open_link(checked, service.mode() == firmly_checkout::Mode::Kiosk)
}

#[tauri::command]
#[specta::specta]
pub fn close_link(state: State<'_, AppState>) -> R<()> {
    state.windows().map(|w| w.close_link())
}

/// Copies text (a request id, the raw JSON) to the clipboard; refused on a kiosk.
#[tauri::command]
#[specta::specta]
pub async fn copy_text(state: State<'_, AppState>, text: String) -> R<()> {
    state.service().await?.refuse_on_kiosk("The clipboard")?;
    state.windows()?.copy_text(text)
}

/// The clipboard's text (a pasted snapshot); refused on a kiosk.
#[tauri::command]
#[specta::specta]
pub async fn paste_text(state: State<'_, AppState>) -> R<Option<String>> {
    state.service().await?.refuse_on_kiosk("The clipboard")?;
    state.windows()?.paste_text().await
}
