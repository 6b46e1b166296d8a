// The app's commands get `allow-<command>` permissions generated here; only the `main`
// window's capability (src-tauri/capabilities/main.json) grants them, so the PayPal popup
// has no IPC rights (ARCHITECTURE.md contract 7). tests/capabilities.rs keeps the lists in step.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_products",
    "get_product",
    "get_hive",
    "get_cart",
    "add_to_cart",
    "set_quantity",
    "clear_cart",
    "validate_address",
    "set_shipping_info",
    "apply_address_to_all",
    "set_billing_info",
    "set_postal_code",
    "get_availability",
    "set_fulfillment",
    "set_shipment_method",
    "select_addon",
    "remove_addon",
    "apply_promo",
    "clear_promos",
    "get_consents",
    "set_consent",
    "validate_card",
    "place_card_order",
    "place_saved_card_order",
    "pay_all",
    "check_order",
    "paypal_open",
    "paypal_close",
    "paypal_complete",
    "request_otp",
    "verify_otp",
    "transfer_session",
    "request_log",
    "raw_cart",
    "audit_log",
    "export_audit",
    "diagnostics",
    "wipe_session",
    "activity",
    "get_settings",
    "save_settings",
    "reset_sandbox",
    "save_receipt",
    "export_snapshot",
    "import_snapshot",
    "wallet_start",
    "wallet_complete",
    "add_merchant",
    "merchant_health",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri build failed: {e:#}");
    }
}
