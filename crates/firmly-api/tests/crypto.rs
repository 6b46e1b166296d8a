//! Card encryption checked against an independent RustCrypto implementation (RFC 7516 by hand),
//! plus the client-side card validation tables and secret redaction.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::NaiveDate;
use firmly_api::*;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::{Oaep, RsaPrivateKey};
use serde_json::{json, Value};

struct TestKey {
    kid: String,
    rsa: RsaPrivateKey,
    public_jwk: Value,
    spki_pem: String,
    pkcs1_pem: String,
}

fn test_key() -> TestKey {
    // OpenSSL generates the key quickly; RustCrypto loads the same key to decrypt independently.
    let key = openssl::rsa::Rsa::generate(2048).unwrap();
    let der = key.private_key_to_der().unwrap();
    let rsa = RsaPrivateKey::from_pkcs1_der(&der).unwrap();
    let kid = "0123456789abcdef0123456789abcdef".to_string();
    let public_jwk = json!({
        "kid": kid, "kty": "RSA", "use": "enc",
        "n": URL_SAFE_NO_PAD.encode(key.n().to_vec()),
        "e": URL_SAFE_NO_PAD.encode(key.e().to_vec()),
    });
    let spki_pem = String::from_utf8(key.public_key_to_pem().unwrap()).unwrap();
    let pkcs1_pem = String::from_utf8(key.public_key_to_pem_pkcs1().unwrap()).unwrap();
    TestKey {
        kid,
        rsa,
        public_jwk,
        spki_pem,
        pkcs1_pem,
    }
}

fn card() -> CardDetails {
    CardDetails {
        number: "4111 1111 1111 1111".into(),
        name: "John Smith".into(),
        month: "8".into(),
        year: "2030".into(),
        verification_value: "123".into(),
    }
}

/// The test card with some fields changed (CardDetails implements Drop, so no struct update syntax).
fn cw(f: impl FnOnce(&mut CardDetails)) -> CardDetails {
    let mut c = card();
    f(&mut c);
    c
}

const PLAINTEXT: &str = r#"{"number":"4111111111111111","name":"John Smith","verification_value":"123","month":"08","year":"2030"}"#;

/// Opens a compact JWE with RustCrypto alone (RFC 7516 §5.2): the protected header and the
/// plaintext, after checking the part sizes; `Err` when the content does not authenticate.
fn try_open_jwe(k: &TestKey, jwe: &str) -> std::result::Result<(Value, String), aes_gcm::Error> {
    let parts: Vec<&str> = jwe.split('.').collect();
    assert_eq!(parts.len(), 5, "a compact JWE has five parts");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let cek = k
        .rsa
        .decrypt(
            Oaep::new::<sha2::Sha256>(),
            &URL_SAFE_NO_PAD.decode(parts[1]).unwrap(),
        )
        .unwrap();
    assert_eq!(cek.len(), 32);
    let iv = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    assert_eq!(iv.len(), 12);
    let tag = URL_SAFE_NO_PAD.decode(parts[4]).unwrap();
    assert_eq!(tag.len(), 16);
    let mut ct = URL_SAFE_NO_PAD.decode(parts[3]).unwrap();
    ct.extend(tag);
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&cek).unwrap();
    let plain = cipher.decrypt(
        aes_gcm::Nonce::from_slice(&iv),
        Payload {
            msg: &ct,
            aad: parts[0].as_bytes(),
        },
    )?;
    Ok((header, String::from_utf8(plain).unwrap()))
}

fn open_jwe(k: &TestKey, jwe: &str) -> (Value, String) {
    try_open_jwe(k, jwe).expect("the JWE decrypts")
}

#[test]
fn jwe_round_trip() {
    let k = test_key();
    let key = PaymentKey::from_jwk(k.public_jwk.clone()).unwrap();
    let jwe = encrypt_card_jwe(&key, &card()).unwrap();
    let (header, payload) = open_jwe(&k, &jwe);
    assert_eq!(payload, PLAINTEXT);
    assert_eq!(header["alg"], "RSA-OAEP-256");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["kid"], k.kid.as_str());
    // Fresh CEK and IV each time.
    assert_ne!(jwe, encrypt_card_jwe(&key, &card()).unwrap());
    // One prepared key serves many cards, each with its own CEK and IV.
    let enc = CardEncrypter::new(&key).unwrap();
    assert_eq!(enc.kid(), k.kid);
    let (a, b) = (enc.jwe(&card()).unwrap(), enc.jwe(&card()).unwrap());
    assert_ne!(a, b);
    assert_eq!(open_jwe(&k, &a).1, PLAINTEXT);
    assert_eq!(open_jwe(&k, &b).1, PLAINTEXT);
    // A tampered header (the additional data) does not decrypt.
    let forged = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"other"}"#),
        a.split_once('.').unwrap().1
    );
    assert!(try_open_jwe(&k, &forged).is_err());
}

#[test]
fn jwe_decrypts_with_independent_rustcrypto() {
    let k = test_key();
    // A server JWK that carries an `alg` hint must not block encryption.
    let mut jwk = k.public_jwk.clone();
    jwk["alg"] = json!("RSA-OAEP");
    let key = PaymentKey::from_jwk(jwk).unwrap();
    let jwe = encrypt_card_jwe(&key, &card()).unwrap();
    let (header, plain) = open_jwe(&k, &jwe);
    assert_eq!(header["alg"], "RSA-OAEP-256");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["kid"], k.kid.as_str());
    assert_eq!(plain, PLAINTEXT);
}

#[test]
fn jwe_from_pem_key() {
    let k = test_key();
    for pem in [&k.spki_pem, &k.pkcs1_pem] {
        let key = PaymentKey::from_pem(pem, &k.kid).unwrap();
        let jwe = encrypt_card_jwe(&key, &card()).unwrap();
        let (header, payload) = open_jwe(&k, &jwe);
        assert_eq!(payload, PLAINTEXT);
        assert_eq!(header["kid"], k.kid.as_str());
    }
}

fn open_field(k: &TestKey, field: &str, sha256: bool) -> String {
    let (kid, b64) = field.split_once('|').unwrap();
    assert_eq!(kid, k.kid);
    let ct = STANDARD.decode(b64).unwrap();
    let plain = if sha256 {
        k.rsa.decrypt(Oaep::new::<sha2::Sha256>(), &ct).unwrap()
    } else {
        k.rsa.decrypt(Oaep::new::<sha1::Sha1>(), &ct).unwrap()
    };
    String::from_utf8(plain).unwrap()
}

#[test]
fn per_field_rsa_oaep_sha1_decrypts_with_rustcrypto() {
    let k = test_key();
    for key in [
        PaymentKey::from_jwk(k.public_jwk.clone()).unwrap(),
        PaymentKey::from_pem(&k.spki_pem, &k.kid).unwrap(),
        PaymentKey::from_pem(&k.pkcs1_pem, &k.kid).unwrap(),
    ] {
        let f = encrypt_card_per_field(&key, &card(), OaepHash::default()).unwrap();
        assert_eq!(open_field(&k, &f.number, false), "4111111111111111");
        assert_eq!(open_field(&k, &f.name, false), "John Smith");
        assert_eq!(open_field(&k, &f.month, false), "08");
        assert_eq!(open_field(&k, &f.year, false), "2030");
        assert_eq!(open_field(&k, &f.verification_value, false), "123");
    }
    assert_eq!(OaepHash::default(), OaepHash::Sha1);
}

#[test]
fn per_field_sha256_option() {
    let k = test_key();
    let key = PaymentKey::from_jwk(k.public_jwk.clone()).unwrap();
    let f = encrypt_card_per_field(&key, &card(), OaepHash::Sha256).unwrap();
    assert_eq!(open_field(&k, &f.number, true), "4111111111111111");
    let (_, b64) = f.number.split_once('|').unwrap();
    assert!(k
        .rsa
        .decrypt(Oaep::new::<sha1::Sha1>(), &STANDARD.decode(b64).unwrap())
        .is_err());
}

#[test]
fn tokenize_payload_decrypts_with_rustcrypto() {
    type Aes256Gcm16 = aes_gcm::AesGcm<aes_gcm::aes::Aes256, aes_gcm::aead::consts::U16>;
    let k = test_key();
    let key = PaymentKey::from_jwk(k.public_jwk.clone()).unwrap();
    let billing = Address {
        first_name: Some("John".into()),
        address1: Some("1 Main".into()),
        ..Default::default()
    };
    let p = encrypt_tokenize_payload(&key, &card(), &billing, OaepHash::Sha1).unwrap();
    let (kid, b64) = p.metadata.split_once('|').unwrap();
    assert_eq!(kid, k.kid);
    let material = k
        .rsa
        .decrypt(Oaep::new::<sha1::Sha1>(), &STANDARD.decode(b64).unwrap())
        .unwrap();
    assert_eq!(material.len(), 64, "aesKey(32) ‖ iv(16) ‖ tag(16)");
    let (aes_key, rest) = material.split_at(32);
    let (iv, tag) = rest.split_at(16);
    let mut ct = STANDARD.decode(&p.data).unwrap();
    ct.extend_from_slice(tag);
    let cipher = Aes256Gcm16::new_from_slice(aes_key).unwrap();
    let plain = cipher
        .decrypt(
            aes_gcm::aead::generic_array::GenericArray::from_slice(iv),
            ct.as_ref(),
        )
        .unwrap();
    let v: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(v["credit_card"]["number"], "4111111111111111");
    assert_eq!(v["credit_card"]["month"], 8);
    assert_eq!(v["credit_card"]["year"], 2030);
    assert_eq!(v["billing_info"]["address1"], "1 Main");
}

#[test]
fn unusable_key_errors_without_card_data() {
    let key = PaymentKey::from_jwk(json!({"kid": "k", "kty": "RSA"})).unwrap();
    let e = encrypt_card_jwe(&key, &card()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Internal);
    let text = format!("{e} {e:?}");
    assert!(!text.contains("4111") && !text.contains("123\""), "{text}");
    assert!(
        PaymentKey::from_jwk(json!({"kty": "RSA"})).is_err(),
        "kid is required"
    );
}

#[test]
fn debug_never_shows_number_or_cvv() {
    let c = cw(|c| {
        c.verification_value = "987".into();
    });
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("4111 1111"), "{dbg}");
    assert!(!dbg.contains("411111"), "{dbg}");
    assert!(!dbg.contains("987"), "{dbg}");
    assert!(dbg.contains("1111"), "last four shown: {dbg}");
    assert!(!dbg.contains("John"), "{dbg}");
}

#[test]
fn luhn_table() {
    for (n, ok) in [
        ("4111111111111111", true),
        ("4111 1111 1111 1111", true),
        ("4111-1111-1111-1111", true),
        ("4000000000000002", true),
        ("4000000000009995", true),
        ("378282246310005", true),
        ("5555555555554444", true),
        ("6011111111111117", true),
        ("4111111111111112", false),
        ("1234", false),
        ("", false),
        ("4111x11111111111", false),
        ("41111111111111111111", false),
    ] {
        assert_eq!(luhn_valid(n), ok, "{n}");
    }
}

#[test]
fn brand_table() {
    for (n, b) in [
        ("4111111111111111", CardBrand::Visa),
        ("5555555555554444", CardBrand::Mastercard),
        ("2223003122003222", CardBrand::Mastercard),
        ("378282246310005", CardBrand::Amex),
        ("341111111111111", CardBrand::Amex),
        ("6011111111111117", CardBrand::Discover),
        ("6500000000000002", CardBrand::Discover),
        ("3530111333300000", CardBrand::Jcb),
        ("30569309025904", CardBrand::DinersClub),
        ("6200000000000005", CardBrand::UnionPay),
        ("9999999999999995", CardBrand::Unknown),
    ] {
        assert_eq!(card_brand(n), b, "{n}");
    }
    assert_eq!(cvv_length(CardBrand::Amex), 4);
    assert_eq!(cvv_length(CardBrand::Visa), 3);
}

#[test]
fn validation_table() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let fields = |c: &CardDetails| -> Vec<String> {
        validate_card(c, today)
            .into_iter()
            .map(|p| match p.field {
                Field::Number => "number".to_string(),
                Field::Name => "name".to_string(),
                Field::ExpMonth => "month".to_string(),
                Field::ExpYear => "year".to_string(),
                Field::Cvv => "verification_value".to_string(),
                other => panic!("a card check named {other}"),
            })
            .collect()
    };
    let ok = cw(|c| {
        c.month = "11".into();
        c.year = "2026".into();
    });
    assert!(
        fields(&ok).is_empty(),
        "valid through the end of the expiry month"
    );
    let two_digit_year = cw(|c| {
        c.month = "12".into();
        c.year = "27".into();
    });
    assert!(fields(&two_digit_year).is_empty());
    let cases: Vec<(CardDetails, &str)> = vec![
        (
            cw(|c| {
                c.month = "10".into();
                c.year = "2026".into();
            }),
            "year",
        ),
        (
            cw(|c| {
                c.year = "2025".into();
            }),
            "year",
        ),
        (
            cw(|c| {
                c.year = "202".into();
            }),
            "year",
        ),
        (
            cw(|c| {
                c.month = "13".into();
            }),
            "month",
        ),
        (
            cw(|c| {
                c.month = "0".into();
            }),
            "month",
        ),
        (
            cw(|c| {
                c.month = "ab".into();
            }),
            "month",
        ),
        (
            cw(|c| {
                c.number = "4111111111111112".into();
            }),
            "number",
        ),
        (
            cw(|c| {
                c.number = "".into();
            }),
            "number",
        ),
        (
            cw(|c| {
                c.name = "  ".into();
            }),
            "name",
        ),
        (
            cw(|c| {
                c.verification_value = "12".into();
            }),
            "verification_value",
        ),
        (
            cw(|c| {
                c.verification_value = "1234".into();
            }),
            "verification_value",
        ),
        (
            cw(|c| {
                c.verification_value = "12a".into();
            }),
            "verification_value",
        ),
        (
            cw(|c| {
                c.number = "378282246310005".into();
                c.verification_value = "123".into();
            }),
            "verification_value",
        ),
    ];
    for (c, field) in cases {
        assert_eq!(fields(&c), vec![field.to_string()], "{c:?}");
    }
    let amex = cw(|c| {
        c.number = "378282246310005".into();
        c.verification_value = "1234".into();
    });
    assert!(fields(&amex).is_empty());
    // Messages never echo the card data.
    let bad = cw(|c| {
        c.number = "4111111111111112".into();
        c.verification_value = "12".into();
    });
    for firmly_api::CardProblem { message: m, .. } in validate_card(&bad, today) {
        assert!(!m.contains("4111") && !m.contains("12 "), "{m}");
    }
}

#[test]
fn card_normalization_c21() {
    let c = cw(|c| {
        c.number = " 4111-1111 1111 1111 ".into();
        c.month = "8".into();
        c.year = "30".into();
    });
    let n = c.normalized();
    assert_eq!(
        (n.number.as_str(), n.month.as_str(), n.year.as_str()),
        ("4111111111111111", "08", "2030")
    );
    assert_eq!(c.last_four(), "1111");
}
