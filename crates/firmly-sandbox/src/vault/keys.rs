//! The payment key and decryption (ENDPOINTS.md §1 #30 key formats JWK, PEM, RSA;
//! ENDPOINTS.md §1 #32 v3 JWE; ENDPOINTS.md §1 #31 v2 per-field values; ENDPOINTS.md §1 #34 tokenize; ENDPOINTS.md §7 C20).
//!
//! A key mismatch and a malformed payload are told apart:
//! * the payload names a `kid` that is not the current key (unknown or rotated) →
//!   [`Rule::InvalidKey`] (`InvalidKey 409`, "does not exist or is no longer valid");
//! * anything else that cannot be read — not a compact JWE, bad base64, a header without
//!   `kid`/`alg`/`enc`, an `enc` other than `A256GCM`, an `alg` other than `RSA-OAEP-256`
//!   (the documented one; `RSA-OAEP` included), a per-field value that is not `kid|base64`, ciphertext that does not decrypt
//!   under the named key → [`Rule::MalformedPayment`]. The routes answer it with
//!   `CheckoutError 412` "Payment info or billing address invalid": it is the id the payment
//!   pages document (their CHK list), whereas `InvalidInputBody` is not listed there and is
//!   kept for a body that is not the documented JSON at all.

use base64::Engine;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use serde_json::{json, Value};

use crate::rules::{Rule, RuleResult};

/// The current payment key pair (`POST /__sandbox/rotate-key` replaces it in demo).
pub struct VaultKeys {
    pub kid: String,
    private: PKey<Private>,
    pub public_pem: String,
    pub public_pkcs1: String,
    n: String,
    e: String,
}

fn malformed(what: &str) -> Rule {
    Rule::MalformedPayment(what.to_string())
}

/// Standard or URL-safe base64, padded or not, whitespace ignored (C20).
pub fn b64_tolerant(s: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(&s)
        .or_else(|_| URL_SAFE.decode(&s))
        .or_else(|_| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')))
        .ok()
}

/// Largest inflated `zip: "DEF"` payload accepted (a card is a few hundred bytes).
const MAX_INFLATED: u64 = 1 << 20;

/// Raw DEFLATE (RFC 1951), as JWE `zip: "DEF"` uses; `None` if invalid or too large.
fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() as u64 <= MAX_INFLATED).then_some(out)
}

/// RSA-OAEP decryption with the given digest (also used for MGF1).
fn oaep_decrypt(key: &PKey<Private>, data: &[u8], md: &openssl::md::MdRef) -> Option<Vec<u8>> {
    let mut ctx = openssl::pkey_ctx::PkeyCtx::new(key).ok()?;
    ctx.decrypt_init().ok()?;
    ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1_OAEP)
        .ok()?;
    ctx.set_rsa_oaep_md(md).ok()?;
    ctx.set_rsa_mgf1_md(md).ok()?;
    let mut out = Vec::new();
    ctx.decrypt_to_vec(data, &mut out).ok()?;
    Some(out)
}

impl VaultKeys {
    pub fn generate() -> std::io::Result<VaultKeys> {
        // OpenSSL's own start-up, without its exit-time clean-up: a key generated on a
        // background thread while the process exits must not meet freed state (SIGSEGV).
        openssl::init();
        let io = |e: String| std::io::Error::other(e);
        let rsa = Rsa::generate(2048).map_err(|e| io(e.to_string()))?;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let n = b64.encode(rsa.n().to_vec());
        let e = b64.encode(rsa.e().to_vec());
        let public_pkcs1 = String::from_utf8(
            rsa.public_key_to_pem_pkcs1()
                .map_err(|e| io(e.to_string()))?,
        )
        .map_err(|e| io(e.to_string()))?;
        let private = PKey::from_rsa(rsa).map_err(|e| io(e.to_string()))?;
        let public_pem =
            String::from_utf8(private.public_key_to_pem().map_err(|e| io(e.to_string()))?)
                .map_err(|e| io(e.to_string()))?;
        Ok(VaultKeys {
            kid: uuid::Uuid::new_v4().simple().to_string(),
            private,
            public_pem,
            public_pkcs1,
            n,
            e,
        })
    }

    /// `{kid, kty, n, e, use}` (ENDPOINTS.md §1 #30; no `alg`).
    pub fn jwk(&self) -> Value {
        json!({ "kid": self.kid, "kty": "RSA", "n": self.n, "e": self.e, "use": "enc" })
    }

    /// Decrypts a compact JWE whose protected header carries `kid`, `alg: RSA-OAEP-256` and
    /// `enc: A256GCM` (ENDPOINTS.md §4.3).
    pub fn decrypt_jwe(&self, jwe: &str) -> RuleResult<Vec<u8>> {
        let jwe = jwe.trim();
        let parts: Vec<&str> = jwe.split('.').collect();
        if parts.len() != 5 {
            return Err(malformed(
                "encrypted_card is not a compact JWE (five dot-separated parts).",
            ));
        }
        let header: Value = b64_tolerant(parts[0])
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(Value::is_object)
            .ok_or_else(|| malformed("encrypted_card has an unreadable protected header."))?;
        let field = |k: &str| {
            header
                .get(k)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        let kid = field("kid").ok_or_else(|| malformed("encrypted_card's header lacks kid."))?;
        // Only the documented alg (ENDPOINTS.md §4.3): a client that guessed `RSA-OAEP` from
        // the sample token's header (§7 C20) must see its mistake here, not in production.
        let oaep_md = match field("alg") {
            Some("RSA-OAEP-256") => openssl::md::Md::sha256(),
            Some(other) => {
                return Err(Rule::MalformedPayment(format!(
                    "encrypted_card uses alg '{other}'; the documented alg is RSA-OAEP-256."
                )))
            }
            None => return Err(malformed("encrypted_card's header lacks alg.")),
        };
        match field("enc") {
            Some("A256GCM") => {}
            Some(other) => {
                return Err(Rule::MalformedPayment(format!(
                    "encrypted_card uses enc '{other}'; use A256GCM."
                )))
            }
            None => return Err(malformed("encrypted_card's header lacks enc.")),
        }
        if kid != self.kid {
            return Err(Rule::InvalidKey);
        }
        let zip = match header.get("zip") {
            None => false,
            Some(Value::String(z)) if z == "DEF" => true,
            Some(_) => return Err(malformed("encrypted_card could not be decrypted.")),
        };
        self.open_compact(&parts, oaep_md, zip)
            .ok_or_else(|| malformed("encrypted_card could not be decrypted."))
    }

    /// RFC 7516 §5.2 for `alg` RSA-OAEP(-256) and `enc` A256GCM: every part strict base64url
    /// without padding, the CEK unwrapped with RSA-OAEP (MGF1 on the same digest), the content
    /// opened with AES-256-GCM, the encoded protected header as additional data, then
    /// inflated when the header says `zip: "DEF"`.
    fn open_compact(
        &self,
        parts: &[&str],
        oaep_md: &openssl::md::MdRef,
        zip: bool,
    ) -> Option<Vec<u8>> {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let [protected, wrapped, iv, ciphertext, tag] = parts else {
            return None;
        };
        if wrapped.is_empty() || iv.is_empty() || tag.is_empty() {
            return None;
        }
        b64.decode(protected).ok()?;
        let cek = oaep_decrypt(&self.private, &b64.decode(wrapped).ok()?, oaep_md)?;
        if cek.len() != 32 {
            return None;
        }
        openssl::symm::decrypt_aead(
            openssl::symm::Cipher::aes_256_gcm(),
            &cek,
            Some(&b64.decode(iv).ok()?),
            protected.as_bytes(),
            &b64.decode(ciphertext).ok()?,
            &b64.decode(tag).ok()?,
        )
        .ok()
        .and_then(|plain| if zip { inflate(&plain) } else { Some(plain) })
    }

    /// Decrypts one `kid|base64(RSA-OAEP(...))` value with OAEP SHA-1 (MGF1 SHA-1) only: it
    /// is what the documented v2 sample code and the tokenize sample produce (ENDPOINTS.md
    /// §4.2, §4.4, §7 C20). A client that followed the sample's "SHA256" comment instead gets
    /// the malformed-payment answer, so the wrong guess shows.
    pub fn decrypt_field(&self, value: &str) -> RuleResult<Vec<u8>> {
        let (kid, data) = value
            .trim()
            .split_once('|')
            .filter(|(kid, data)| !kid.is_empty() && !data.is_empty())
            .ok_or_else(|| malformed("An encrypted value is not 'kid|base64'."))?;
        if kid != self.kid {
            return Err(Rule::InvalidKey);
        }
        let bytes =
            b64_tolerant(data).ok_or_else(|| malformed("An encrypted value is not base64."))?;
        oaep_decrypt(&self.private, &bytes, openssl::md::Md::sha1()).ok_or_else(|| {
            malformed("An encrypted value could not be decrypted (RSA-OAEP with SHA-1 expected).")
        })
    }

    /// Tokenize's hybrid envelope (ENDPOINTS.md §4.4-ENDPOINTS.md §4.4): `metadata` = `kid|base64(RSA-OAEP(key ‖
    /// iv ‖ tag))`, `data` = base64 AES-256-GCM ciphertext; IVs of 12 or 16 bytes (C20).
    pub fn decrypt_hybrid(&self, data: &str, metadata: &str) -> RuleResult<Vec<u8>> {
        let meta = self.decrypt_field(metadata)?;
        let (key, rest) = meta
            .split_at_checked(32)
            .ok_or_else(|| malformed("metadata is too short."))?;
        if rest.len() != 32 && rest.len() != 28 {
            return Err(malformed("metadata must hold key, iv and tag."));
        }
        let (iv, tag) = rest.split_at(rest.len() - 16);
        let data = b64_tolerant(data).ok_or_else(|| malformed("data is not base64."))?;
        openssl::symm::decrypt_aead(
            openssl::symm::Cipher::aes_256_gcm(),
            key,
            Some(iv),
            &[],
            &data,
            tag,
        )
        .map_err(|_| malformed("data could not be decrypted."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64url(v: &Value) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn malformed_and_mismatch_are_told_apart() {
        let keys = VaultKeys::generate().expect("keys");
        assert!(matches!(
            keys.decrypt_jwe("nope"),
            Err(Rule::MalformedPayment(_))
        ));
        let jwe = |h: Value| format!("{}.a.b.c.d", b64url(&h));
        let kid = keys.kid.clone();
        for header in [
            json!({ "alg": "RSA-OAEP-256", "enc": "A256GCM" }),
            json!({ "kid": kid, "enc": "A256GCM" }),
            json!({ "kid": kid, "alg": "RSA-OAEP-256" }),
            json!({ "kid": kid, "alg": "RSA-OAEP-256", "enc": "A128GCM" }),
            json!({ "kid": kid, "alg": "dir", "enc": "A256GCM" }),
            json!({ "kid": kid, "alg": "RSA-OAEP-256", "enc": "A256GCM" }),
        ] {
            assert!(
                matches!(
                    keys.decrypt_jwe(&jwe(header.clone())),
                    Err(Rule::MalformedPayment(_))
                ),
                "{header}"
            );
        }
        let other = json!({ "kid": "0123456789abcdef0123456789abcdef", "alg": "RSA-OAEP-256", "enc": "A256GCM" });
        assert_eq!(keys.decrypt_jwe(&jwe(other)), Err(Rule::InvalidKey));
        assert!(matches!(
            keys.decrypt_field("no-bar"),
            Err(Rule::MalformedPayment(_))
        ));
        assert_eq!(keys.decrypt_field("ffff|AAAA"), Err(Rule::InvalidKey));
        assert!(matches!(
            keys.decrypt_field(&format!("{}|AAAA", keys.kid)),
            Err(Rule::MalformedPayment(_))
        ));
        assert!(matches!(
            keys.decrypt_field(&format!("{}|***", keys.kid)),
            Err(Rule::MalformedPayment(_))
        ));
    }

    /// A compact JWE for `keys`, built here with openssl (the independent RustCrypto build is
    /// in `tests/independent_jwe.rs`); `zip` deflates the plaintext first.
    fn seal(keys: &VaultKeys, alg: &str, zip: bool, plain: &[u8]) -> String {
        use std::io::Write;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut header = json!({ "alg": alg, "enc": "A256GCM", "kid": keys.kid });
        let body = if zip {
            header["zip"] = json!("DEF");
            let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(plain).expect("deflate");
            z.finish().expect("deflate")
        } else {
            plain.to_vec()
        };
        let protected = b64url(&header);
        let md = if alg == "RSA-OAEP" {
            openssl::md::Md::sha1()
        } else {
            openssl::md::Md::sha256()
        };
        let cek = [7u8; 32];
        let iv = [9u8; 12];
        let mut ctx = openssl::pkey_ctx::PkeyCtx::new(&keys.private).expect("ctx");
        ctx.encrypt_init().expect("init");
        ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1_OAEP)
            .expect("oaep");
        ctx.set_rsa_oaep_md(md).expect("md");
        ctx.set_rsa_mgf1_md(md).expect("mgf1");
        let mut wrapped = Vec::new();
        ctx.encrypt_to_vec(&cek, &mut wrapped).expect("wrap");
        let mut tag = [0u8; 16];
        let ct = openssl::symm::encrypt_aead(
            openssl::symm::Cipher::aes_256_gcm(),
            &cek,
            Some(&iv),
            protected.as_bytes(),
            &body,
            &mut tag,
        )
        .expect("seal");
        [
            protected,
            b64.encode(wrapped),
            b64.encode(iv),
            b64.encode(ct),
            b64.encode(tag),
        ]
        .join(".")
    }

    #[test]
    fn only_the_documented_alg_decrypts() {
        let keys = VaultKeys::generate().expect("keys");
        let jwe = seal(&keys, "RSA-OAEP", false, b"{}");
        match keys.decrypt_jwe(&jwe) {
            Err(Rule::MalformedPayment(d)) => assert!(d.contains("RSA-OAEP-256"), "{d}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn per_field_values_need_oaep_sha1() {
        let keys = VaultKeys::generate().expect("keys");
        let field = |md: &openssl::md::MdRef| {
            let mut ctx = openssl::pkey_ctx::PkeyCtx::new(&keys.private).expect("ctx");
            ctx.encrypt_init().expect("init");
            ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1_OAEP)
                .expect("oaep");
            ctx.set_rsa_oaep_md(md).expect("md");
            ctx.set_rsa_mgf1_md(md).expect("mgf1");
            let mut out = Vec::new();
            ctx.encrypt_to_vec(b"12", &mut out).expect("encrypt");
            let b64 = base64::engine::general_purpose::STANDARD;
            format!("{}|{}", keys.kid, b64.encode(out))
        };
        assert_eq!(
            keys.decrypt_field(&field(openssl::md::Md::sha1())),
            Ok(b"12".to_vec())
        );
        assert!(matches!(
            keys.decrypt_field(&field(openssl::md::Md::sha256())),
            Err(Rule::MalformedPayment(_))
        ));
    }

    #[test]
    fn deflate_decrypts_and_tampering_is_malformed() {
        let keys = VaultKeys::generate().expect("keys");
        let card = br#"{"number":"4111111111111111"}"#;
        for (alg, zip) in [("RSA-OAEP-256", false), ("RSA-OAEP-256", true)] {
            let jwe = seal(&keys, alg, zip, card);
            assert_eq!(
                keys.decrypt_jwe(&jwe).as_deref(),
                Ok(&card[..]),
                "{alg} {zip}"
            );
            let mut parts: Vec<String> = jwe.split('.').map(String::from).collect();
            parts[3] = "AAAA".to_string();
            assert!(matches!(
                keys.decrypt_jwe(&parts.join(".")),
                Err(Rule::MalformedPayment(_))
            ));
            // Padding is not base64url of a compact JWE.
            let padded = jwe.replacen('.', "=.", 1);
            assert!(keys.decrypt_jwe(&padded).is_err());
        }
    }
}
