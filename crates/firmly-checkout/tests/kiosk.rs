//! The kiosk, enforced in Rust: what a walk-up shopper cannot do, the staff PIN, printing
//! through the OS print system with no dialog, a wipe that forgets everything a customer
//! touched, and the policy's locked settings used when paying.

mod support;

use firmly_api::Field;
use std::path::Path;
use std::sync::Arc;

use firmly_api::ErrorCode;
use firmly_checkout::launch::KioskPolicy;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use support::*;

async fn kiosk(r: &Rig, dir: &Path, kiosk: KioskPolicy) -> Arc<Desk> {
    let mut l = launch(&r.sandbox.base_url(), demo_domains(), Mode::Kiosk);
    l.kiosk = kiosk;
    desk_launch(
        l,
        dir,
        Arc::new(NoEvents),
        DeskOptions {
            policy: ReconcilePolicy::quick(),
            ..DeskOptions::default()
        },
    )
    .await
}

#[tokio::test]
async fn a_kiosk_refuses_the_agents_commands() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = kiosk(&r, dir.path(), KioskPolicy::default()).await;
    let svc = desk.service();
    let refused = [
        svc.add_merchant(&dom("shop-01.test")).await.map(|_| ()),
        svc.transfer_session(&LUMA, "external-session-1", vec![])
            .await
            .map(|_| ()),
        desk.settings_for_operator().map(|_| ()),
        svc.request_log().map(|_| ()),
        svc.export_snapshot(true).await.map(|_| ()),
    ];
    for r in refused {
        assert_eq!(r.unwrap_err().code, ErrorCode::ModeRestricted);
    }
    // Staff's list is behind the PIN; no PIN in the policy, no panel.
    assert_eq!(svc.staff_orders().unwrap_err().code, ErrorCode::StaffOnly);
    assert_eq!(
        svc.staff_unlock("1234").unwrap_err().code,
        ErrorCode::ModeRestricted
    );
    assert!(!svc.local_info().kiosk.staff_panel);
}

#[tokio::test]
async fn the_staff_pin_opens_the_panel_and_wrong_pins_lock_the_pad() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = kiosk(
        &r,
        dir.path(),
        KioskPolicy {
            staff_pin_sha256: Some(pin_hash("2468")),
            ..KioskPolicy::default()
        },
    )
    .await;
    let svc = desk.service();
    assert!(svc.local_info().kiosk.staff_panel);
    let wrong = svc.staff_unlock("1111").unwrap_err();
    assert_eq!(
        (wrong.code, wrong.field),
        (ErrorCode::StaffPinWrong, Some(Field::Pin))
    );
    assert!(svc.staff_unlock("2468").is_ok(), "the right PIN opens it");
    assert!(svc.staff_orders().is_ok());
    svc.staff_lock();
    assert_eq!(svc.staff_orders().unwrap_err().code, ErrorCode::StaffOnly);
    for _ in 0..2 {
        svc.staff_unlock("0000").unwrap_err();
    }
    let locked = svc.staff_unlock("0000").unwrap_err();
    assert_eq!(locked.code, ErrorCode::StaffPinLocked);
    assert!(locked.retryable);
    assert_eq!(
        svc.staff_unlock("2468").unwrap_err().code,
        ErrorCode::StaffPinLocked,
        "even the right PIN waits out the lock"
    );
    let audit: Vec<String> = desk
        .audit_log()
        .entries(50)
        .into_iter()
        .filter(|e| e.action == "staff_unlock")
        .map(|e| e.outcome)
        .collect();
    assert!(audit.contains(&"wrong_pin".to_string()) && audit.contains(&"locked".to_string()));
    assert!(
        !audit.iter().any(|o| o.contains("2468")),
        "no PIN in the audit log"
    );
}

/// A fake `lp`: writes its arguments and the job it was given into `dir`.
fn fake_printer(dir: &Path, exit: i32) -> String {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("fake-lp");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/args'\ncat > '{0}/job'\necho 'lp: printer on fire' >&2\nexit {exit}\n",
            dir.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    script.display().to_string()
}

fn words() -> ReceiptWords {
    ReceiptWords {
        order: "Order".into(),
        merchant: "Merchant".into(),
        placed: "Placed".into(),
        subtotal: "Subtotal".into(),
        shipping: "Shipping".into(),
        tax: "Tax".into(),
        addons: "Add-ons".into(),
        discount: "Discount".into(),
        total: "Total".into(),
        paid_with: "Paid with Visa ending in 1111".into(),
        merchant_receipt: "Merchant receipt:".into(),
    }
}

#[tokio::test]
async fn a_receipt_goes_to_the_policy_printer_with_no_dialog() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let spool = tempfile::tempdir().unwrap();
    let desk = kiosk(
        &r,
        dir.path(),
        KioskPolicy {
            printer: Some("Front_Desk".into()),
            print_command: fake_printer(spool.path(), 0),
            ..KioskPolicy::default()
        },
    )
    .await;
    let svc = desk.service();
    assert!(svc.local_info().kiosk.can_print);
    hoodie_ready(&svc).await;
    let order = placed(
        svc.place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    desk.print_receipt(&order, &words()).await.unwrap();
    let args = std::fs::read_to_string(spool.path().join("args")).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        vec![
            "-d",
            "Front_Desk",
            "-t",
            &format!("Receipt {}", order.order_number)
        ]
    );
    let job = std::fs::read_to_string(spool.path().join("job")).unwrap();
    assert!(
        job.contains(&order.order_number) && job.contains("Total"),
        "{job}"
    );
    assert!(!job.contains(APPROVED), "no card number on paper");

    // A printer that refuses: a clear, retryable error; nothing else happens.
    let broken = tempfile::tempdir().unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let desk2 = kiosk(
        &r,
        dir2.path(),
        KioskPolicy {
            printer: Some("Front_Desk".into()),
            print_command: fake_printer(broken.path(), 1),
            ..KioskPolicy::default()
        },
    )
    .await;
    let e = desk2.print_receipt(&order, &words()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PrintFailed);
    assert!(
        e.retryable && e.message.contains("printer on fire"),
        "{}",
        e.message
    );
    // Without a printer in the policy there is no printing at all.
    let dir3 = tempfile::tempdir().unwrap();
    let plain = kiosk(&r, dir3.path(), KioskPolicy::default()).await;
    assert!(!plain.service().local_info().kiosk.can_print);
    assert_eq!(
        plain
            .print_receipt(&order, &words())
            .await
            .unwrap_err()
            .code,
        ErrorCode::PrintFailed
    );
}

#[tokio::test]
async fn the_idle_wipe_forgets_a_customer_who_only_typed_a_postal_code() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    let mut l = launch(&r.sandbox.base_url(), demo_domains(), Mode::Kiosk);
    l.idle_seconds = 5;
    let desk = desk_launch(l, dir.path(), Arc::new(NoEvents), DeskOptions::default()).await;
    let svc = desk.service();
    svc.activity();
    svc.set_postal_code(Some("10001")).await.unwrap();
    svc.set_language(Language::Es);
    assert_eq!(svc.local_info().postal_code.as_deref(), Some("10001"));
    // No cart ever had items; the customer still touched the screen.
    let later = std::time::Instant::now() + std::time::Duration::from_secs(6);
    assert_eq!(svc.idle_tick_at(later).await, IdleTick::Expired);
    let info = svc.local_info();
    assert_eq!(
        info.postal_code, None,
        "the next shopper gets no pre-filled postal code"
    );
    assert_eq!(info.language, Language::En, "nor the last one's language");
    // Nobody touched it since: no warning over the attract screen, and the next expiry does
    // not wipe (no new device per timeout).
    let device = svc.app_info().await.unwrap().device_id;
    let warn_at = std::time::Instant::now() + std::time::Duration::from_secs(4);
    assert_eq!(svc.idle_tick_at(warn_at).await, IdleTick::Quiet);
    let much_later = std::time::Instant::now() + std::time::Duration::from_secs(12);
    assert_eq!(svc.idle_tick_at(much_later).await, IdleTick::Quiet);
    assert_eq!(svc.app_info().await.unwrap().device_id, device);
}

#[tokio::test]
async fn a_policy_locked_card_encryption_is_the_one_used_to_pay() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let mut l = launch(&r.sandbox.base_url(), demo_domains(), Mode::Agent);
    l.settings.card_encryption = CardEncryption::PerField;
    l.locked = vec![Lock::CardEncryption];
    let desk = desk_launch(l, dir.path(), Arc::new(NoEvents), DeskOptions::default()).await;
    // The store says JWE; the policy locks per-field.
    desk.persistence()
        .update_settings(|s| s.card_encryption = CardEncryption::Jwe);
    assert_eq!(desk.settings().card_encryption, CardEncryption::PerField);
    let svc = desk.service();
    hoodie_ready(&svc).await;
    placed(
        svc.place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    let paths: Vec<String> = r
        .journal("complete-order")
        .await
        .iter()
        .map(|e| e["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.contains("/api/v2/payment/complete-order")),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("/api/v3/")), "{paths:?}");
}
