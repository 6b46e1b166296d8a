//! Figure 9: one card encrypted as a compact JWE (`firmly_api::encrypt_card_jwe`: RSA-OAEP-256
//! key wrap + A256GCM) against the bare RSA-OAEP (SHA-256) public-key operation on a 32-byte
//! key with the same RSA key through OpenSSL — the floor the JWE cannot go below.

use std::path::Path;
use std::time::Instant;

use firmly_api::CardDetails;
use openssl::encrypt::Encrypter;
use openssl::hash::MessageDigest;
use openssl::rsa::Padding;
use serde_json::json;

use crate::figure::{median, percentile, r3, Figure};

pub fn run(out: &Path, n: usize) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // The vault's own key, fetched as the app fetches it (JWK).
    let key = rt.block_on(async {
        let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
            .await
            .map_err(|e| e.to_string())?;
        let c = crate::service::typed_client(&sandbox.base_url())?;
        let key = c.payment_key().await.map_err(|e| e.message)?;
        sandbox.shutdown().await;
        Ok::<_, String>(key)
    })?;
    let card = CardDetails {
        number: crate::figure::approved_card().into(),
        name: "Ada Lovelace".into(),
        month: "12".into(),
        year: "2031".into(),
        verification_value: "123".into(),
    };
    let pkey = firmly_api::crypto::public_key(&key).map_err(|e| e.message)?;
    let bits = pkey.bits();
    let cek = [7u8; 32];
    let bare = || -> Result<usize, String> {
        let mut enc = Encrypter::new(&pkey).map_err(|e| e.to_string())?;
        enc.set_rsa_padding(Padding::PKCS1_OAEP)
            .map_err(|e| e.to_string())?;
        enc.set_rsa_oaep_md(MessageDigest::sha256())
            .map_err(|e| e.to_string())?;
        enc.set_rsa_mgf1_md(MessageDigest::sha256())
            .map_err(|e| e.to_string())?;
        let mut out = vec![0; enc.encrypt_len(&cek).map_err(|e| e.to_string())?];
        let len = enc.encrypt(&cek, &mut out).map_err(|e| e.to_string())?;
        Ok(std::hint::black_box(len))
    };
    let jwe = || -> Result<usize, String> {
        let s = firmly_api::encrypt_card_jwe(&key, &card).map_err(|e| e.message)?;
        Ok(std::hint::black_box(s.len()))
    };
    let mut jwe_len = 0;
    for _ in 0..20 {
        bare()?;
        jwe_len = jwe()?;
    }
    let rounds = 10;
    let per = n.div_ceil(rounds).max(1);
    let (mut tj, mut tb) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        for pass in 0..2 {
            if (pass == 0) == (r % 2 == 0) {
                for _ in 0..per {
                    let t = Instant::now();
                    jwe()?;
                    tj.push(t.elapsed().as_secs_f64() * 1e6);
                }
            } else {
                for _ in 0..per {
                    let t = Instant::now();
                    bare()?;
                    tb.push(t.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
    }
    // Where the JWE's time goes: preparing the key (decoding the JWK into an OpenSSL key,
    // done once per fetched key) versus encrypting one card with a prepared key.
    let import = || firmly_api::CardEncrypter::new(&key).map_err(|e| e.message);
    let encrypter = import()?;
    let (mut t_import, mut t_encrypt) = (Vec::new(), Vec::new());
    for _ in 0..per.max(50) {
        let t = Instant::now();
        std::hint::black_box(import()?);
        t_import.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        std::hint::black_box(encrypter.jwe(&card).map_err(|e| e.message)?);
        t_encrypt.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (j, b) = (median(&tj), median(&tb));
    Figure {
        id: "crypto".into(),
        title: "Card encryption: JWE per card vs bare RSA-OAEP".into(),
        value_label: "median µs of encrypt_card_jwe (one card)".into(),
        value: r3(j),
        unit: "µs".into(),
        baseline_label: format!(
            "median µs of one RSA-OAEP-SHA256 public-key encryption ({bits}-bit key, OpenSSL)"
        ),
        baseline: r3(b),
        ratio: r3(j / b),
        target: "none (reported)".into(),
        met: None,
        runs: tj.len(),
        details: json!({
            "jwe_p99_us": r3(percentile(&tj, 99.0)),
            "bare_p99_us": r3(percentile(&tb, 99.0)),
            "jwe_chars": jwe_len,
            "breakdown_import_jwk_us": r3(median(&t_import)),
            "breakdown_jwe_with_prepared_key_us": r3(median(&t_encrypt)),
            "openssl": openssl::version::version(),
            "key_bits": bits,
            "kid": key.kid,
        }),
    }
    .write(out)
}
