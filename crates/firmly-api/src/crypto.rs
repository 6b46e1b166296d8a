//! Card data handling: client-side validation and the three documented encryptions
//! (ENDPOINTS.md §4): v3 JWE (ENDPOINTS.md §1 #32), v2 per-field RSA-OAEP
//! (ENDPOINTS.md §4.2) and the hybrid tokenize payload (ENDPOINTS.md §4.4).
//!
//! Card number and CVV live only in [`CardDetails`], which zeroizes itself on drop and
//! never prints them; every intermediate plaintext buffer is zeroized too.

use crate::error::{ApiError, Field, Result};
use crate::models::address::Address;
use crate::models::session::PaymentKey;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use openssl::bn::BigNum;
use openssl::encrypt::Encrypter;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Public};
use openssl::rsa::{Padding, Rsa};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Card as typed by the shopper. Debug shows only the last four digits.
#[derive(Clone, Default, Zeroize, ZeroizeOnDrop, Deserialize, Serialize)]
pub struct CardDetails {
    pub number: String,
    pub name: String,
    pub month: String,
    pub year: String,
    pub verification_value: String,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardDetails")
            .field("number", &format_args!("•••• {}", self.last_four()))
            .field("brand", &card_brand(&self.number))
            .field("name", &format_args!("<redacted>"))
            .field("verification_value", &format_args!("<redacted>"))
            .finish_non_exhaustive()
    }
}

impl CardDetails {
    /// Digits only: `"4242 4242-4242 4242"` → `"4242424242424242"` (C21).
    pub fn digits(&self) -> Zeroizing<String> {
        Zeroizing::new(self.number.chars().filter(char::is_ascii_digit).collect())
    }

    pub fn last_four(&self) -> String {
        let d = self.digits();
        let n = d.len();
        d[n.saturating_sub(4)..].to_string()
    }

    /// Two-digit month (`"8"` → `"08"`).
    pub fn month_2(&self) -> String {
        let m = self.month.trim();
        match m.parse::<u32>() {
            Ok(v) if m.len() < 2 => format!("{v:02}"),
            _ => m.to_string(),
        }
    }

    /// Four-digit year (`"30"` → `"2030"`).
    pub fn year_4(&self) -> String {
        let y = self.year.trim();
        match y.parse::<u32>() {
            Ok(v) if y.len() <= 2 => format!("{}", 2000 + v),
            _ => y.to_string(),
        }
    }

    /// The normalized copy that is encrypted: digits-only number, MM, YYYY, trimmed CVV.
    pub fn normalized(&self) -> CardDetails {
        CardDetails {
            number: self.digits().to_string(),
            name: self.name.trim().to_string(),
            month: self.month_2(),
            year: self.year_4(),
            verification_value: self.verification_value.trim().to_string(),
        }
    }

    /// JSON plaintext in the documented v3 field order (§4.3).
    fn jwe_plaintext(&self) -> Result<Zeroizing<Vec<u8>>> {
        let n = self.normalized();
        #[derive(Serialize)]
        struct Plain<'a> {
            number: &'a str,
            name: &'a str,
            verification_value: &'a str,
            month: &'a str,
            year: &'a str,
        }
        let p = Plain {
            number: &n.number,
            name: &n.name,
            verification_value: &n.verification_value,
            month: &n.month,
            year: &n.year,
        };
        serde_json::to_vec(&p)
            .map(Zeroizing::new)
            .map_err(|e| ApiError::internal(format!("card serialization failed: {e}")))
    }
}

/// Card network, detected from the number prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    DinersClub,
    Jcb,
    UnionPay,
    Unknown,
}

impl CardBrand {
    pub fn as_str(&self) -> &'static str {
        match self {
            CardBrand::Visa => "visa",
            CardBrand::Mastercard => "mastercard",
            CardBrand::Amex => "amex",
            CardBrand::Discover => "discover",
            CardBrand::DinersClub => "diners",
            CardBrand::Jcb => "jcb",
            CardBrand::UnionPay => "unionpay",
            CardBrand::Unknown => "unknown",
        }
    }
}

pub fn card_brand(number: &str) -> CardBrand {
    let d: Zeroizing<String> =
        Zeroizing::new(number.chars().filter(char::is_ascii_digit).collect());
    let prefix = |n: usize| -> u32 { d.get(..n).and_then(|p| p.parse().ok()).unwrap_or(0) };
    if d.starts_with('4') {
        CardBrand::Visa
    } else if matches!(prefix(2), 34 | 37) {
        CardBrand::Amex
    } else if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) {
        CardBrand::Mastercard
    } else if prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3)) {
        CardBrand::Discover
    } else if (3528..=3589).contains(&prefix(4)) {
        CardBrand::Jcb
    } else if prefix(2) == 36 || matches!(prefix(2), 38 | 39) || (300..=305).contains(&prefix(3)) {
        CardBrand::DinersClub
    } else if prefix(2) == 62 {
        CardBrand::UnionPay
    } else {
        CardBrand::Unknown
    }
}

/// Luhn checksum over the digits (spaces and dashes ignored); 12–19 digits required.
pub fn luhn_valid(number: &str) -> bool {
    if number
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == ' ' || c == '-'))
    {
        return false;
    }
    let digits: Zeroizing<Vec<u32>> =
        Zeroizing::new(number.chars().filter_map(|c| c.to_digit(10)).collect());
    if !(12..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// CVV digits expected for the brand (Amex 4, others 3).
pub fn cvv_length(brand: CardBrand) -> usize {
    match brand {
        CardBrand::Amex => 4,
        _ => 3,
    }
}

/// What is wrong with a field (the UI words it in the shopper's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    /// Empty but needed.
    Required,
    /// Not in the expected form.
    Invalid,
    /// A card past its expiry month.
    Expired,
    /// An expiry implausibly far ahead.
    TooFar,
}

/// One problem of a typed card, about one field. The message never quotes the number or CVV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CardProblem {
    pub field: Field,
    pub rule: FieldRule,
    pub message: String,
}

/// Client-side checks before encrypting, field by field. A card is valid through the last
/// day of its expiry month.
pub fn validate_card(card: &CardDetails, today: chrono::NaiveDate) -> Vec<CardProblem> {
    use chrono::Datelike;
    let mut errors = Vec::new();
    let mut push = |field: Field, rule: FieldRule, m: &str| {
        errors.push(CardProblem {
            field,
            rule,
            message: m.to_string(),
        })
    };
    let digits = card.digits();
    if digits.is_empty() {
        push(Field::Number, FieldRule::Required, "Enter the card number.");
    } else if !luhn_valid(&card.number) {
        push(
            Field::Number,
            FieldRule::Invalid,
            "This card number is not valid.",
        );
    }
    if card.name.trim().is_empty() {
        push(
            Field::Name,
            FieldRule::Required,
            "Enter the name on the card.",
        );
    }
    let month = card
        .month
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=12).contains(m));
    if month.is_none() {
        push(
            Field::ExpMonth,
            FieldRule::Invalid,
            "Enter a month from 01 to 12.",
        );
    }
    let year_text = card.year.trim();
    let year = if year_text.len() == 2 || year_text.len() == 4 {
        card.year_4().parse::<i32>().ok()
    } else {
        None
    };
    match (year, month) {
        (None, _) => push(Field::ExpYear, FieldRule::Invalid, "Enter a 4-digit year."),
        (Some(y), Some(m)) => {
            if (y, m) < (today.year(), today.month()) {
                push(Field::ExpYear, FieldRule::Expired, "This card has expired.");
            } else if y > today.year() + 20 {
                push(
                    Field::ExpYear,
                    FieldRule::TooFar,
                    "This expiry year is too far ahead.",
                );
            }
        }
        (Some(y), None) => {
            if y < today.year() {
                push(Field::ExpYear, FieldRule::Expired, "This card has expired.");
            }
        }
    }
    let cvv = card.verification_value.trim();
    let brand = card_brand(&card.number);
    let cvv_ok = cvv.chars().all(|c| c.is_ascii_digit())
        && match brand {
            CardBrand::Unknown => (3..=4).contains(&cvv.len()),
            b => cvv.len() == cvv_length(b),
        };
    if !cvv_ok {
        let want = match brand {
            CardBrand::Unknown => "3 or 4".to_string(),
            b => cvv_length(b).to_string(),
        };
        push(
            Field::Cvv,
            FieldRule::Invalid,
            &format!("Enter the {want}-digit security code."),
        );
    }
    errors
}

fn key_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("the payment key cannot be used: {e}"))
}

/// A payment key made ready for encryption: the RSA public key is decoded once (from the
/// JWK's `n`/`e` or a PEM) and can encrypt any number of cards. Only the public members are
/// read, so `alg`/`use` hints from the server (absent per §2.10, but a rotating key may add
/// them) cannot block encryption.
pub struct CardEncrypter {
    kid: String,
    pkey: PKey<Public>,
    /// `BASE64URL(UTF8(protected header))`, also the AES-GCM additional data (RFC 7516 §5.1).
    protected: String,
}

impl std::fmt::Debug for CardEncrypter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardEncrypter")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl CardEncrypter {
    pub fn new(key: &PaymentKey) -> Result<Self> {
        let pkey = public_key(key)?;
        #[derive(Serialize)]
        struct Header<'a> {
            alg: &'a str,
            enc: &'a str,
            kid: &'a str,
        }
        let header = serde_json::to_vec(&Header {
            alg: "RSA-OAEP-256",
            enc: "A256GCM",
            kid: &key.kid,
        })
        .map_err(key_error)?;
        Ok(CardEncrypter {
            kid: key.kid.clone(),
            pkey,
            protected: URL_SAFE_NO_PAD.encode(header),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// v3: compact JWE (RFC 7516 §7.1), `alg` RSA-OAEP-256, `enc` A256GCM, `kid` in the
    /// protected header (ENDPOINTS.md §4.3): a fresh 256-bit content key
    /// wrapped with RSA-OAEP (SHA-256, MGF1-SHA-256), a fresh 96-bit IV, the protected
    /// header as additional data.
    pub fn jwe(&self, card: &CardDetails) -> Result<String> {
        let plaintext = card.jwe_plaintext()?;
        let mut cek = Zeroizing::new([0u8; 32]);
        let mut iv = [0u8; 12];
        let rand_fail = |e: openssl::error::ErrorStack| {
            ApiError::internal(format!("random generator failed: {e}"))
        };
        openssl::rand::rand_bytes(cek.as_mut()).map_err(rand_fail)?;
        openssl::rand::rand_bytes(&mut iv).map_err(rand_fail)?;
        let wrapped = rsa_oaep(&self.pkey, OaepHash::Sha256, cek.as_ref())?;
        let mut tag = [0u8; 16];
        let ciphertext = openssl::symm::encrypt_aead(
            openssl::symm::Cipher::aes_256_gcm(),
            cek.as_ref(),
            Some(&iv),
            self.protected.as_bytes(),
            &plaintext,
            &mut tag,
        )
        .map_err(|e| ApiError::internal(format!("card encryption failed: {e}")))?;
        Ok([
            self.protected.as_str(),
            &URL_SAFE_NO_PAD.encode(wrapped),
            &URL_SAFE_NO_PAD.encode(iv),
            &URL_SAFE_NO_PAD.encode(ciphertext),
            &URL_SAFE_NO_PAD.encode(tag),
        ]
        .join("."))
    }
}

/// v3 card encryption with a key used once; [`CardEncrypter`] when one key serves many cards.
/// Plaintext `{"number","name","verification_value","month","year"}`.
pub fn encrypt_card_jwe(key: &PaymentKey, card: &CardDetails) -> Result<String> {
    CardEncrypter::new(key)?.jwe(card)
}

/// OAEP digest for the per-field and tokenize encryptions (§7 C20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OaepHash {
    /// What the documented working samples produce (PyCryptodome / Node defaults).
    #[default]
    Sha1,
    Sha256,
}

/// v2 body `credit_card`: each value `"<kid>|<base64(RSA-OAEP(value))>"` (§4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedCardFields {
    pub name: String,
    pub number: String,
    pub month: String,
    pub year: String,
    pub verification_value: String,
}

/// Payment keys read as PEM are checked here, where RSA keys are read (the models hold no
/// crypto).
impl PaymentKey {
    /// A key fetched with `format=PEM`/`RSA` (SPKI or PKCS#1 PEM): the kid comes from the
    /// `x-firmly-kid` header. Fails when the text is not an RSA public key.
    pub fn from_pem(pem: &str, kid: &str) -> crate::Result<PaymentKey> {
        if kid.trim().is_empty() {
            return Err(crate::ApiError::validation(
                "a PEM payment key needs its kid",
            ));
        }
        let key = PaymentKey {
            kid: kid.trim().to_string(),
            jwk: serde_json::json!({ "kid": kid.trim(), "pem": pem.trim() }),
        };
        public_key(&key)?;
        Ok(key)
    }
}

/// The RSA public key from a JWK (`n`, `e`) or PEM (SPKI or PKCS#1).
pub fn public_key(key: &PaymentKey) -> Result<PKey<Public>> {
    // OpenSSL's own start-up, without its exit-time clean-up: a card encrypted on a
    // worker thread while the process exits must not meet freed state (SIGSEGV).
    openssl::init();
    if let Some(pem) = key.pem() {
        let rsa = if pem.contains("BEGIN RSA PUBLIC KEY") {
            Rsa::public_key_from_pem_pkcs1(pem.as_bytes())
        } else {
            Rsa::public_key_from_pem(pem.as_bytes())
        }
        .map_err(key_error)?;
        return PKey::from_rsa(rsa).map_err(key_error);
    }
    let b64 = |k: &str| -> Result<BigNum> {
        let s = key
            .jwk
            .get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| key_error(format!("JWK has no `{k}`")))?;
        // Tolerate padded or standard-alphabet base64 as well as base64url.
        let cleaned: String = s.trim_end_matches('=').replace('+', "-").replace('/', "_");
        let bytes = URL_SAFE_NO_PAD.decode(cleaned).map_err(key_error)?;
        BigNum::from_slice(&bytes).map_err(key_error)
    };
    let rsa = Rsa::from_public_components(b64("n")?, b64("e")?).map_err(key_error)?;
    PKey::from_rsa(rsa).map_err(key_error)
}

fn rsa_oaep(pkey: &PKey<Public>, hash: OaepHash, data: &[u8]) -> Result<Vec<u8>> {
    let md = match hash {
        OaepHash::Sha1 => MessageDigest::sha1(),
        OaepHash::Sha256 => MessageDigest::sha256(),
    };
    let fail = |e: openssl::error::ErrorStack| {
        ApiError::internal(format!("RSA-OAEP encryption failed: {e}"))
    };
    let mut enc = Encrypter::new(pkey).map_err(fail)?;
    enc.set_rsa_padding(Padding::PKCS1_OAEP).map_err(fail)?;
    enc.set_rsa_oaep_md(md).map_err(fail)?;
    enc.set_rsa_mgf1_md(md).map_err(fail)?;
    let len = enc.encrypt_len(data).map_err(fail)?;
    let mut out = vec![0u8; len];
    let n = enc.encrypt(data, &mut out).map_err(fail)?;
    out.truncate(n);
    Ok(out)
}

/// v2: every card field RSA-OAEP encrypted on its own (ENDPOINTS.md §4.2).
pub fn encrypt_card_per_field(
    key: &PaymentKey,
    card: &CardDetails,
    hash: OaepHash,
) -> Result<EncryptedCardFields> {
    let pkey = public_key(key)?;
    let n = card.normalized();
    let field = |v: &str| -> Result<String> {
        let ct = rsa_oaep(&pkey, hash, v.as_bytes())?;
        Ok(format!("{}|{}", key.kid, STANDARD.encode(ct)))
    };
    Ok(EncryptedCardFields {
        name: field(&n.name)?,
        number: field(&n.number)?,
        month: field(&n.month)?,
        year: field(&n.year)?,
        verification_value: field(&n.verification_value)?,
    })
}

/// Body of `POST {vault}/api/v1/payment/tokenize` without the handle (§4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenizePayload {
    /// base64 AES-256-GCM ciphertext (tag not included).
    pub data: String,
    /// `"<kid>|<base64(RSA-OAEP(aesKey ‖ iv ‖ tag))>"`.
    pub metadata: String,
}

/// Hybrid encryption of `{credit_card, billing_info}` for tokenize (ENDPOINTS.md §4.4):
/// AES-256-GCM with a 16-byte IV as in the sample (C20), key material wrapped with RSA-OAEP.
pub fn encrypt_tokenize_payload(
    key: &PaymentKey,
    card: &CardDetails,
    billing: &Address,
    hash: OaepHash,
) -> Result<TokenizePayload> {
    let pkey = public_key(key)?;
    let n = card.normalized();
    // The sample sends month/year as integers (ENDPOINTS.md §7 C21).
    let month: i64 = n.month.parse().unwrap_or_default();
    let year: i64 = n.year.parse().unwrap_or_default();
    let plaintext = Zeroizing::new(
        serde_json::to_vec(&serde_json::json!({
            "credit_card": {
                "number": n.number,
                "name": n.name,
                "month": month,
                "year": year,
                "verification_value": n.verification_value,
            },
            "billing_info": billing,
        }))
        .map_err(|e| ApiError::internal(format!("card serialization failed: {e}")))?,
    );
    let mut aes_key = Zeroizing::new([0u8; 32]);
    let mut iv = [0u8; 16];
    let rand_fail =
        |e: openssl::error::ErrorStack| ApiError::internal(format!("random generator failed: {e}"));
    openssl::rand::rand_bytes(aes_key.as_mut()).map_err(rand_fail)?;
    openssl::rand::rand_bytes(&mut iv).map_err(rand_fail)?;
    let mut tag = [0u8; 16];
    let ciphertext = openssl::symm::encrypt_aead(
        openssl::symm::Cipher::aes_256_gcm(),
        aes_key.as_ref(),
        Some(&iv),
        &[],
        &plaintext,
        &mut tag,
    )
    .map_err(|e| ApiError::internal(format!("AES-GCM encryption failed: {e}")))?;
    let mut material = Zeroizing::new(Vec::with_capacity(64));
    material.extend_from_slice(aes_key.as_ref());
    material.extend_from_slice(&iv);
    material.extend_from_slice(&tag);
    let wrapped = rsa_oaep(&pkey, hash, &material)?;
    Ok(TokenizePayload {
        data: STANDARD.encode(ciphertext),
        metadata: format!("{}|{}", key.kid, STANDARD.encode(wrapped)),
    })
}
