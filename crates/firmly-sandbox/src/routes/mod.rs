//! The routes layer: thin axum handlers that parse a request, call the plumbing
//! ([`crate::carts`]) and the rules, and answer with a view or the family's error. [`router`]
//! wires every documented path plus the documented aliases of ENDPOINTS.md §7 C18/C19
//! (trailing slashes, POST for PUT, `/shipments/methods`, `GET …/shipping-method`). The three
//! demo-only admin routes are not routed in `docs` (they answer `404 RouteNotFound`).

pub mod addons;
pub mod admin;
pub mod auth;
pub mod cart_v1;
pub mod cart_v2;
pub mod catalog;
pub mod consents;
pub mod documented;
pub mod payments;
pub mod paypal;
pub mod promos;
pub mod sessions;
pub mod shipments;
pub mod wallet;

use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::middleware::{observe, panic_response};
use crate::state::AppState;

fn cart_v2_routes(r: Router<AppState>) -> Router<AppState> {
    let v2 = "/api/v2/domains/{domain}/cart";
    r.route(v2, get(cart_v2::get_cart))
        .route(&format!("{v2}/"), get(cart_v2::get_cart))
        .route(
            &format!("{v2}/line-items"),
            post(cart_v2::add_line_item).delete(cart_v2::clear_cart),
        )
        .route(
            &format!("{v2}/line-items/{{line_item_id}}"),
            post(cart_v2::update_line_item).put(cart_v2::update_line_item),
        )
        .route(
            &format!("{v2}/shipping-info"),
            post(cart_v2::shipping_info).put(cart_v2::shipping_info),
        )
        .route(
            &format!("{v2}/billing-info"),
            post(cart_v2::billing_info).put(cart_v2::billing_info),
        )
        .route(
            &format!("{v2}/shipments/get-availability"),
            post(shipments::get_availability),
        )
        .route(
            &format!("{v2}/shipments/fulfillment-type"),
            post(shipments::set_fulfillment_type).put(shipments::set_fulfillment_type),
        )
        .route(
            &format!("{v2}/shipment/methods"),
            post(shipments::set_shipping_method).put(shipments::set_shipping_method),
        )
        .route(
            &format!("{v2}/shipments/methods"),
            post(shipments::set_shipping_method).put(shipments::set_shipping_method),
        )
        .route(
            &format!("{v2}/addons"),
            post(addons::set_addons).put(addons::set_addons),
        )
        .route(
            &format!("{v2}/addons/_remove"),
            post(addons::remove_addon).put(addons::remove_addon),
        )
        .route(
            &format!("{v2}/promo-codes"),
            post(promos::apply).put(promos::apply).delete(promos::clear),
        )
}

fn cart_v1_routes(r: Router<AppState>) -> Router<AppState> {
    let v1 = "/api/v1/domains/{domain}/cart";
    r.route(v1, get(cart_v1::get_cart))
        .route(&format!("{v1}/"), get(cart_v1::get_cart))
        .route(
            &format!("{v1}/line-items/{{sku}}/quantity/{{quantity}}"),
            post(cart_v1::add_line_item),
        )
        .route(
            &format!("{v1}/line-items/{{sku}}"),
            put(cart_v1::update_line_item).post(cart_v1::update_line_item),
        )
        .route(
            &format!("{v1}/line-items/{{sku}}/"),
            put(cart_v1::update_line_item).post(cart_v1::update_line_item),
        )
        .route(&format!("{v1}/line-items"), delete(cart_v1::clear_cart))
        .route(
            &format!("{v1}/shipping-info"),
            post(cart_v1::shipping_info).put(cart_v1::shipping_info),
        )
        .route(
            &format!("{v1}/shipping-rates"),
            get(cart_v1::shipping_rates),
        )
        .route(
            &format!("{v1}/shipping-method"),
            get(cart_v1::shipping_rates)
                .post(cart_v1::shipping_method)
                .put(cart_v1::shipping_method),
        )
        .route(
            &format!("{v1}/attribution"),
            put(cart_v1::attribution).post(cart_v1::attribution),
        )
        .route(
            &format!("{v1}/promo-codes"),
            post(cart_v1::apply_coupons)
                .put(cart_v1::apply_coupons)
                .delete(cart_v1::clear_coupons),
        )
        .route(
            &format!("{v1}/consents"),
            get(consents::get_consents)
                .post(consents::set_consents)
                .put(consents::set_consents),
        )
        .route(
            &format!("{v1}/complete-order"),
            post(payments::complete_with_token),
        )
        .route(
            &format!("{v1}/complete-order-with-saved-payment"),
            post(payments::complete_with_saved_payment),
        )
        .route("/api/v1/carts/active", get(cart_v1::active_carts))
}

fn session_routes(r: Router<AppState>) -> Router<AppState> {
    let d = "/api/v1/domains/{domain}";
    r.route("/api/v1/browser-session", post(auth::browser_session))
        .route(
            &format!("{d}/session/transfer"),
            post(sessions::transfer_v1),
        )
        .route(
            "/api/v2/domains/{domain}/session/transfer",
            post(sessions::transfer_v2),
        )
        .route("/api/v2/carts/active", get(sessions::active_carts_v2))
        .route(
            "/api/v2/carts/active-domains",
            get(sessions::active_domains),
        )
        .route("/api/v2/carts/postal-code", post(sessions::postal_code))
        .route(
            &format!("{d}/session/create-otp"),
            post(sessions::create_otp),
        )
        .route(
            &format!("{d}/session/validate-otp"),
            post(sessions::validate_otp),
        )
        .route(
            &format!("{d}/session/forgot-password"),
            post(sessions::forgot_password),
        )
        .route(d, get(sessions::merchant_health))
        .route(
            "/api/v1/wallets/{wallet}/unlock-start",
            post(wallet::unlock_start),
        )
        .route(
            "/api/v1/wallets/{wallet}/unlock-complete",
            post(wallet::unlock_complete),
        )
        .route(&format!("{d}/express/paypal/start"), post(paypal::start))
        .route(
            &format!("{d}/express/paypal/authorize"),
            post(paypal::authorize),
        )
        .route(
            &format!("{d}/express/paypal/complete-order"),
            post(paypal::complete),
        )
}

fn catalog_and_vault_routes(r: Router<AppState>) -> Router<AppState> {
    r.route(
        "/api/v1/domains-products/{domain}",
        get(catalog::list_products),
    )
    .route(
        "/api/v1/domains-products/{domain}/{handle}",
        get(catalog::get_product),
    )
    .route("/api/v1/domains-pdp", get(catalog::product_from_url))
    .route("/api/v1/payment/key", get(payments::payment_key))
    .route(
        "/api/v3/payment/complete-order",
        post(payments::complete_order_v3),
    )
    .route(
        "/api/v2/payment/complete-order",
        post(payments::complete_order_v2),
    )
    .route("/api/v1/payment/tokenize", post(payments::tokenize))
}

fn admin_routes(r: Router<AppState>, demo: bool) -> Router<AppState> {
    let r = r
        .route("/__sandbox/reset", post(admin::reset))
        .route("/__sandbox/orders", get(admin::orders))
        .route("/__sandbox/requests", get(admin::requests))
        .route("/__sandbox/clock", post(admin::clock))
        .route(
            "/__sandbox/faults",
            post(admin::add_faults).delete(admin::clear_faults),
        )
        .route("/__sandbox/holds", get(admin::holds))
        .route("/__sandbox/holds/release", post(admin::release_holds))
        .route("/__sandbox/otp", get(admin::last_otp))
        .route("/__sandbox/img/{file}", get(catalog::thumbnail))
        .route("/__sandbox/paypal/checkoutnow", get(paypal::checkoutnow));
    if !demo {
        return r;
    }
    r.route("/__sandbox/rotate-key", post(payments::rotate_key))
        .route("/__sandbox/paypal/return", get(paypal::return_page))
        .route("/__sandbox/thank-you/{number}", get(admin::thank_you))
}

/// All routes of a sandbox with this state's profile.
pub fn router(state: AppState) -> Router {
    let r = Router::new();
    let r = cart_v2_routes(r);
    let r = cart_v1_routes(r);
    let r = session_routes(r);
    let r = catalog_and_vault_routes(r);
    let r = admin_routes(r, state.profile.extensions());
    r.fallback(admin::route_not_found)
        .method_not_allowed_fallback(admin::route_not_found)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}
