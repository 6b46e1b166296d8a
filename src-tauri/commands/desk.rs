//! The desk's own commands: the support panel (request log, raw JSON, audit, diagnostics,
//! snapshots), the customer session and settings, the kiosk's staff panel and receipts, the
//! demo helper, links and the clipboard. Each is one line over the desk or its service.

use firmly_api::{ApiError, Field};
use firmly_checkout::Domain;
use firmly_checkout::*;
use tauri::State;

use super::R;
use crate::state::AppState;

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
