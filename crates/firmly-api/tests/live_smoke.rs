//! Smoke flow over every endpoint against a real server: by default the sandbox started
//! in-process on 127.0.0.1:0 (so every response the sandbox sends is decoded with the
//! client's models), or any server named by
//! `FIRMLY_API_SMOKE_BASE=http://HOST:PORT cargo test -p firmly-api --test live_smoke -- --nocapture`.
//! It fails on any `Decode` error, i.e. whenever the server's JSON does not fit our
//! models; API errors along the way are printed, not fatal, except where the step is
//! essential to continue.

use firmly_api::*;
use std::sync::Arc;

/// The server to talk to, and the in-process sandbox kept alive while it is used.
async fn server() -> (url::Url, Option<firmly_sandbox::SandboxHandle>) {
    if let Some(b) = std::env::var("FIRMLY_API_SMOKE_BASE")
        .ok()
        .and_then(|b| url::Url::parse(&b).ok())
    {
        return (b, None);
    }
    let h = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .expect("in-process sandbox");
    let url = url::Url::parse(&h.base_url()).expect("sandbox url");
    (url, Some(h))
}

/// The first variant of a product that can be bought.
fn available_variant(p: &ProductDetails) -> String {
    p.variants
        .iter()
        .find(|v| v.available)
        .expect("an available variant")
        .variant_id()
}

fn no_decode_error<T>(step: &str, r: &Result<T>) {
    match r {
        Ok(_) => println!("ok   {step}"),
        Err(e) => {
            println!("err  {step}: {} {}", e.code, e.message);
            assert_ne!(e.code, ErrorCode::Decode, "{step}: {}", e.message);
        }
    }
}

#[tokio::test]
async fn smoke_flow() {
    let (base, _sandbox) = server().await;
    let app_id = std::env::var("FIRMLY_API_SMOKE_APP_ID").unwrap_or_else(|_| "sandbox-app".into());
    let domain =
        std::env::var("FIRMLY_API_SMOKE_DOMAIN").unwrap_or_else(|_| "staging.luma.gift".into());
    let c = FirmlyClient::new(
        ClientConfig::same_host(base, &app_id),
        Arc::new(MemorySessionStore::new()),
    )
    .unwrap();
    let s = c.ensure_session().await;
    no_decode_error("browser-session", &s);
    s.unwrap();

    let list = c.product_list(&domain).await;
    no_decode_error("product list", &list);
    let list = list.unwrap();
    assert!(!list.is_empty());
    let p = c.product(&domain, &list[0].handle).await;
    no_decode_error("product", &p);
    let p = p.unwrap();
    let variant = available_variant(&p);

    let cart = c.add_line_item(&domain, &variant, 1, true).await;
    no_decode_error("add line item", &cart);
    let cart = cart.unwrap();
    println!("     cart {:?} total {}", cart.cart_id, cart.totals().total);
    no_decode_error("get cart", &c.cart(&domain).await);

    let addr = Address {
        first_name: Some("John".into()),
        last_name: Some("Smith".into()),
        email: Some("john@example.com".into()),
        phone: Some("2065550100".into()),
        address1: Some("1 Main St".into()),
        city: Some("Seattle".into()),
        state_or_province: Some("WA".into()),
        postal_code: Some("98101".into()),
        country: Some("US".into()),
        ..Default::default()
    };
    let cart = c.set_shipping_info(&domain, &addr).await;
    no_decode_error("shipping info", &cart);
    let mut cart = cart.unwrap();
    for sh in cart.shipments.clone() {
        let a = c.availability(&domain, &sh.shipment_id).await;
        no_decode_error("availability", &a);
        let method = sh
            .shipping_method
            .clone()
            .or_else(|| sh.shipping_method_options.first().cloned());
        if let Some(m) = method {
            let date = a.ok().and_then(|a| a.dates.first().map(|d| d.date.clone()));
            let req = SetShipmentMethod {
                shipment_id: sh.shipment_id.clone(),
                shipping_method_id: m.id.clone(),
                selected_date: date
                    .filter(|_| sh.fulfillment() == FulfillmentTypeKind::ScheduledDelivery),
                ..Default::default()
            };
            let r = c.set_shipment_method(&domain, &req, Extensions::NONE).await;
            no_decode_error("shipment method", &r);
            if let Ok(updated) = r {
                cart = updated;
            }
        }
    }
    if let Some(offer) = cart.addons.offers.first() {
        let r = c
            .set_addons(
                &domain,
                &[AddonSelectionRequest {
                    addon_id: offer.addon_id.clone(),
                    ..Default::default()
                }],
            )
            .await;
        no_decode_error("addons", &r);
    }
    no_decode_error(
        "promo",
        &c.apply_promo_codes(&domain, &["SAVE10".into()]).await,
    );
    no_decode_error("promo clear", &c.clear_promo_codes(&domain).await);
    let consents = c.consents(&domain).await;
    no_decode_error("consents", &consents);
    if let Ok(list) = consents {
        let grant: Vec<ConsentChange> = list
            .iter()
            .map(|x| ConsentChange {
                id: x.id.clone(),
                revoke: false,
            })
            .collect();
        if !grant.is_empty() {
            no_decode_error("set consents", &c.set_consents(&domain, &grant).await);
        }
    }
    let cart = c.set_billing_info(&domain, &addr).await;
    no_decode_error("billing info", &cart);
    let cart = c.cart(&domain).await.unwrap();
    let key = c.payment_key().await;
    no_decode_error("payment key", &key);
    let key = key.unwrap();
    let card = CardDetails {
        number: "4111111111111111".into(),
        name: "John Smith".into(),
        month: "12".into(),
        year: "2031".into(),
        verification_value: "123".into(),
    };
    let jwe = encrypt_card_jwe(&key, &card).unwrap();
    let handle = cart
        .payment_handle
        .clone()
        .expect("payment_handle after shipping info");
    let order = c
        .complete_order_v3(&handle, &addr, &jwe)
        .await
        .and_then(CompletionAnswer::into_order);
    no_decode_error("complete order v3", &order);
    let order = order.unwrap();
    assert!(order.is_submitted(), "order submitted");
    println!(
        "     order {:?} total {}",
        order.platform_order_number,
        order.totals().total
    );

    no_decode_error("active carts", &c.active_carts(&[]).await);
    no_decode_error("active carts v1", &c.active_carts_v1().await);
    no_decode_error("active domains", &c.active_domains().await);
    no_decode_error("postal code", &c.set_postal_code(Some("98101")).await);
    no_decode_error(
        "health",
        &c.merchant_health(&domain, "v2024-02-27-0-chkt").await,
    );
    no_decode_error(
        "v1 cart",
        &c.v1_add_line_item(&domain, &variant, 1, &[]).await,
    );
    no_decode_error(
        "v1 shipping info",
        &c.v1_set_shipping_info(&domain, &addr).await,
    );
    no_decode_error("v1 shipping rates", &c.v1_shipping_rates(&domain).await);
    let started = c.paypal_start(&domain).await;
    no_decode_error("paypal start", &started);
    // Sandbox approval simulator: read PayerID from the approve link of its page.
    let approval_url = started
        .ok()
        .and_then(|cart| cart.payment_method)
        .and_then(|pm| pm.attributes)
        .and_then(|a| a.url);
    if let Some(url) = approval_url {
        let html = reqwest::get(&url).await.ok().map(|r| r.text());
        let html = match html {
            Some(f) => f.await.unwrap_or_default(),
            None => String::new(),
        };
        let payer = html
            .split("PayerID=")
            .nth(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
            })
            .filter(|p| !p.is_empty());
        if let Some(payer) = payer {
            let auth = c.paypal_authorize(&domain, &payer).await;
            no_decode_error("paypal authorize", &auth);
            if let Ok(cart) = auth {
                assert!(cart
                    .payment_method
                    .as_ref()
                    .is_some_and(|p| p.paypal_authorized()));
            }
            if let Ok(list) = c.consents(&domain).await {
                let grant: Vec<ConsentChange> = list
                    .iter()
                    .map(|x| ConsentChange {
                        id: x.id.clone(),
                        revoke: false,
                    })
                    .collect();
                no_decode_error(
                    "consents before paypal",
                    &c.set_consents(&domain, &grant).await,
                );
            }
            let order = c
                .paypal_complete(&domain)
                .await
                .and_then(CompletionAnswer::into_order);
            no_decode_error("paypal complete", &order);
            if let Ok(o) = order {
                println!("     paypal order {:?}", o.platform_order_number);
            }
        }
    }
    no_decode_error(
        "session transfer v2",
        &c.session_transfer(&domain, serde_json::json!("external-session-1"), &[])
            .await,
    );
    no_decode_error(
        "session transfer v1",
        &c.session_transfer_v1(&domain, "external-session-2", &[])
            .await,
    );
    // F1: v1 cart, tokenize (hybrid AES-GCM + RSA-OAEP), v1 complete-order.
    no_decode_error(
        "v1 add again",
        &c.v1_add_line_item(&domain, &variant, 1, &[]).await,
    );
    let v1 = c.v1_set_shipping_info(&domain, &addr).await;
    no_decode_error("v1 shipping info again", &v1);
    if let (Ok(v1), Ok(key)) = (v1, c.payment_key().await) {
        if let Ok(list) = c.consents(&domain).await {
            let grant: Vec<ConsentChange> = list
                .iter()
                .map(|x| ConsentChange {
                    id: x.id.clone(),
                    revoke: false,
                })
                .collect();
            no_decode_error(
                "consents before tokenize",
                &c.set_consents(&domain, &grant).await,
            );
        }
        let handle = v1.payment_handle.clone().expect("v1 payment_handle");
        let payload = encrypt_tokenize_payload(&key, &card, &addr, OaepHash::Sha1).unwrap();
        let token = c.tokenize(&payload, &handle).await;
        no_decode_error("tokenize", &token);
        if let Ok(token) = token {
            let o = c
                .complete_order_v1(&domain, &token)
                .await
                .and_then(CompletionAnswer::into_order);
            no_decode_error("complete order v1", &o);
            if let Ok(o) = o {
                assert!(o.is_submitted());
                println!("     v1 order {:?}", o.platform_order_number);
            }
        }
    }
    no_decode_error("pem key", &c.payment_key_pem(KeyFormat::Pem).await);
    no_decode_error("rsa key", &c.payment_key_pem(KeyFormat::Rsa).await);
    for l in c.request_log() {
        println!(
            "     {} {} {:?} {}ms",
            l.method, l.path, l.status, l.duration_ms
        );
    }
}

/// Every product of every demo merchant, every fulfillment option of every shipment, and
/// per-field (v2) completion: exercises the widest range of server shapes.
#[tokio::test]
async fn smoke_every_merchant() {
    let (base, _sandbox) = server().await;
    let domains = std::env::var("FIRMLY_API_SMOKE_DOMAINS")
        .unwrap_or_else(|_| "staging.luma.gift,homegoods.test,gadgets.test,members.test".into());
    let c = FirmlyClient::new(
        ClientConfig::same_host(base, "sandbox-app"),
        Arc::new(MemorySessionStore::new()),
    )
    .unwrap();
    let addr = Address {
        first_name: Some("Jane".into()),
        last_name: Some("Doe".into()),
        email: Some("jane@example.com".into()),
        phone: Some("2065550101".into()),
        address1: Some("2 Pine St".into()),
        city: Some("Seattle".into()),
        state_or_province: Some("WA".into()),
        postal_code: Some("98101".into()),
        country: Some("US".into()),
        ..Default::default()
    };
    for domain in domains.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        println!("== {domain}");
        let list = c.product_list(domain).await;
        no_decode_error("product list", &list);
        let mut first = true;
        for summary in list.unwrap_or_default() {
            let p = c.product(domain, &summary.handle).await;
            no_decode_error(&format!("product {}", summary.handle), &p);
            let Some(v) = p
                .ok()
                .and_then(|p| p.variants.into_iter().find(|v| v.available))
            else {
                continue;
            };
            let r = c.add_line_item(domain, &v.variant_id(), 1, first).await;
            no_decode_error(&format!("add {}", v.variant_id()), &r);
            first = false;
        }
        let cart = c.set_shipping_info(domain, &addr).await;
        no_decode_error("shipping info", &cart);
        let Ok(cart) = cart else { continue };
        for sh in &cart.shipments {
            for opt in &sh.fulfillment_type_options {
                let r = c
                    .set_fulfillment_type(domain, &sh.shipment_id, &opt.id, None)
                    .await;
                no_decode_error(&format!("fulfillment {}", opt.id), &r);
                let a = c.availability(domain, &sh.shipment_id).await;
                no_decode_error(&format!("availability {}", opt.id), &a);
                if let (FulfillmentTypeKind::PickupInStore, Ok(a)) = (opt.id.kind(), &a) {
                    if let Some(loc) = a.pickup_locations.first() {
                        let r = c
                            .set_fulfillment_type(
                                domain,
                                &sh.shipment_id,
                                &opt.id,
                                Some(&loc.location_id),
                            )
                            .await;
                        no_decode_error("pickup location", &r);
                    }
                }
            }
            // Back to the first option with a method so the order can complete.
            if let Some(opt) = sh.fulfillment_type_options.first() {
                let r = c
                    .set_fulfillment_type(domain, &sh.shipment_id, &opt.id, None)
                    .await;
                no_decode_error("reset fulfillment", &r);
                if let Ok(cart) = r {
                    if let Some(s2) = cart.shipment(&sh.shipment_id) {
                        if let Some(m) = s2.shipping_method_options.first() {
                            let a = c.availability(domain, &sh.shipment_id).await.ok();
                            let date = a.and_then(|a| {
                                a.dates
                                    .into_iter()
                                    .find(|d| !d.date.is_empty())
                                    .map(|d| d.date)
                            });
                            let req = SetShipmentMethod {
                                shipment_id: sh.shipment_id.clone(),
                                shipping_method_id: m.id.clone(),
                                selected_date: date,
                                ..Default::default()
                            };
                            no_decode_error(
                                "shipment method",
                                &c.set_shipment_method(domain, &req, Extensions::NONE).await,
                            );
                        }
                    }
                }
            }
        }
        let cart = c.cart(domain).await;
        no_decode_error("cart", &cart);
        let Ok(cart) = cart else { continue };
        for offer in cart.addons.all_offers() {
            let sel = AddonSelectionRequest {
                addon_id: offer.addon_id.clone(),
                selected_line_item_ids: offer
                    .eligible_line_item_ids
                    .iter()
                    .take(1)
                    .cloned()
                    .collect(),
                ..Default::default()
            };
            let r = c.set_addons(domain, &[sel]).await;
            no_decode_error(&format!("addon {}", offer.addon_id), &r);
        }
        if let Ok(list) = c.consents(domain).await {
            let grant: Vec<ConsentChange> = list
                .iter()
                .filter(|x| x.required)
                .map(|x| ConsentChange {
                    id: x.id.clone(),
                    revoke: false,
                })
                .collect();
            if !grant.is_empty() {
                no_decode_error(
                    "grant required consents",
                    &c.set_consents(domain, &grant).await,
                );
            }
        }
        let Some(handle) = cart.payment_handle.clone() else {
            continue;
        };
        if let Ok(key) = c.payment_key().await {
            let card = CardDetails {
                number: "4111111111111111".into(),
                name: "Jane Doe".into(),
                month: "1".into(),
                year: "2032".into(),
                verification_value: "321".into(),
            };
            let fields = encrypt_card_per_field(&key, &card, OaepHash::Sha1).unwrap();
            let r = c
                .complete_order_v2(&handle, &addr, &fields)
                .await
                .and_then(CompletionAnswer::into_order);
            no_decode_error("complete order v2", &r);
            if let Ok(o) = r {
                println!(
                    "     order {:?} {}",
                    o.platform_order_number,
                    o.totals().total
                );
            }
        }
    }
    // OTP and wallet, reading the one-time passwords from the sandbox admin API.
    let domain = "members.test";
    let otp = c.create_otp(domain, "member@example.com").await;
    no_decode_error("create otp", &otp);
    let admin = reqwest::Client::new();
    let base = c
        .config()
        .api_base
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let read_otp = |email: &'static str| {
        let admin = admin.clone();
        let url = format!("{base}/__sandbox/otp?email={email}");
        async move {
            let v: serde_json::Value = admin.get(url).send().await.ok()?.json().await.ok()?;
            v.get("otp").and_then(|o| o.as_str().map(str::to_string))
        }
    };
    if let Some(code) = read_otp("member@example.com").await {
        no_decode_error(
            "validate otp",
            &c.validate_otp(domain, "member@example.com", &code).await,
        );
    }
    let start = c.wallet_unlock_start("shoppay", "member@example.com").await;
    no_decode_error("wallet unlock start", &start);
    if let (Ok(start), Some(code)) = (start, read_otp("member@example.com").await) {
        let done = c
            .wallet_unlock_complete("shoppay", &start.access_token, &code)
            .await;
        no_decode_error("wallet unlock complete", &done);
        if let Ok(done) = done {
            println!("     wallet cards {}", done.payment_method_options.len());
        }
    }
    no_decode_error(
        "forgot password",
        &c.forgot_password(domain, "member@example.com").await,
    );
}

/// The client skips decoding an answer byte-identical to the merchant's previous one; it
/// must never hand back a stale cart: every change is decoded, and a new session forgets
/// what it kept.
#[tokio::test]
async fn unchanged_answers_are_reused_changed_ones_decoded() {
    let h = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .expect("in-process sandbox");
    let base = url::Url::parse(&h.base_url()).expect("sandbox url");
    let c = FirmlyClient::new(
        ClientConfig::same_host(base, "sandbox-app"),
        Arc::new(MemorySessionStore::new()),
    )
    .unwrap();
    let domain = "staging.luma.gift";
    let list = c.product_list(domain).await.unwrap();
    let p = c.product(domain, &list[0].handle).await.unwrap();
    let variant = available_variant(&p);
    let added = c.add_line_item(domain, &variant, 1, true).await.unwrap();
    let first = c.cart(domain).await.unwrap();
    let again = c.cart(domain).await.unwrap();
    assert_eq!(first, again, "the same answer, the same cart");
    assert_eq!(again.item_count(), added.item_count());
    // Shared reads: an unchanged answer is the very cart kept, not a copy.
    let shared = c.cart_shared(domain).await.unwrap();
    let shared_again = c.cart_shared(domain).await.unwrap();
    assert!(
        Arc::ptr_eq(&shared, &shared_again),
        "unchanged: the kept cart itself"
    );
    assert_eq!(*shared, first);
    let line = again.line_items[0].line_item_id.clone();
    c.update_line_item(domain, &line, 3).await.unwrap();
    let changed = c.cart(domain).await.unwrap();
    assert_eq!(changed.line_item(&line).map(|l| l.quantity), Some(3));
    assert_ne!(changed.totals().total, first.totals().total);
    let shared_changed = c.cart_shared(domain).await.unwrap();
    assert!(
        !Arc::ptr_eq(&shared, &shared_changed),
        "a changed answer is decoded anew"
    );
    assert_eq!(*shared_changed, changed);
    // A new device: its empty cart, not the one kept for the old device.
    c.new_session().await.unwrap();
    let fresh = c.cart(domain).await;
    match fresh {
        Ok(cart) => assert!(cart.line_items.is_empty(), "{:?}", cart.line_items),
        Err(e) => assert_eq!(e.status, Some(404), "{e:?}"),
    }
}
