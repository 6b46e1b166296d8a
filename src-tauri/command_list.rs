// The one list of Firmly Desk's commands. It feeds tauri-specta's `collect_commands!`
// (src-tauri/lib.rs, and so ui/src/bindings.ts), the `allow-<command>` permissions that
// build.rs generates, and the `desk-commands` permission set that the main window's
// capability grants (src-tauri/capabilities/main.json). A new command is added here, in
// src-tauri/commands.rs and in the UI; no other list exists.
//
// Included (`include!`) by build.rs and src-tauri/lib.rs: it holds one macro only.
macro_rules! for_each_command {
    ($then:ident) => {
        $then! {
            app_info,
            list_products,
            get_product,
            get_hive,
            get_cart,
            add_to_cart,
            set_quantity,
            clear_cart,
            validate_address,
            set_shipping_info,
            apply_address_to_all,
            set_billing_info,
            set_postal_code,
            get_availability,
            set_fulfillment,
            set_shipment_method,
            select_addon,
            remove_addon,
            apply_promo,
            clear_promos,
            get_consents,
            set_consent,
            validate_card,
            place_card_order,
            place_saved_card_order,
            pay_all,
            check_order,
            paypal_open,
            paypal_close,
            paypal_complete,
            request_otp,
            verify_otp,
            transfer_session,
            request_log,
            raw_cart,
            audit_log,
            export_audit,
            diagnostics,
            wipe_session,
            activity,
            get_settings,
            save_settings,
            set_language,
            reset_sandbox,
            save_receipt,
            export_snapshot,
            import_snapshot,
            wallet_start,
            wallet_complete,
            add_merchant,
            merchant_health,
            staff_unlock,
            staff_lock,
            staff_orders,
            staff_settle,
            staff_end_session,
        }
    };
}
