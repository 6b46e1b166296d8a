//! The whole catalog: the hand-written fixture files (`data/*.json`, parsed with
//! `fixtures.rs`) and the generated `shop-NN.test` merchants (`generated.rs`), assembled
//! once at start. Neither source depends on the other; this module joins them.

use crate::model::fixtures::{expand_variants, MerchantFixture, MerchantKind, WalletFixture};

/// All merchants (demo, extra, generated, in that order) and the wallet accounts.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub merchants: Vec<MerchantFixture>,
    pub wallets: Vec<WalletFixture>,
}

fn parse_merchants(
    raw: &str,
    kind: MerchantKind,
    file: &str,
) -> Result<Vec<MerchantFixture>, String> {
    let mut merchants: Vec<MerchantFixture> =
        serde_json::from_str(raw).map_err(|e| format!("embedded {file}: {e}"))?;
    for m in &mut merchants {
        m.kind = kind;
        for p in &mut m.products {
            p.variants = expand_variants(p);
        }
    }
    Ok(merchants)
}

impl Catalog {
    /// Parses the embedded fixture files and generates the `shop-NN.test` merchants. Fails
    /// only if the embedded data is malformed, which a unit test guards.
    pub fn load() -> Result<Catalog, String> {
        let mut merchants = parse_merchants(
            include_str!("../../data/merchants.json"),
            MerchantKind::Demo,
            "data/merchants.json",
        )?;
        merchants.extend(parse_merchants(
            include_str!("../../data/extra_merchants.json"),
            MerchantKind::Extra,
            "data/extra_merchants.json",
        )?);
        merchants.extend(crate::model::generated::merchants());
        let wallets: Vec<WalletFixture> =
            serde_json::from_str(include_str!("../../data/wallets.json"))
                .map_err(|e| format!("embedded data/wallets.json: {e}"))?;
        Ok(Catalog { merchants, wallets })
    }

    pub fn merchant(&self, domain: &str) -> Option<&MerchantFixture> {
        self.merchants
            .iter()
            .find(|m| m.domain.eq_ignore_ascii_case(domain))
    }

    /// The four demo merchants of CONTRACTS.md §3 (never the extra or generated ones).
    pub fn demo_merchants(&self) -> impl Iterator<Item = &MerchantFixture> {
        self.merchants
            .iter()
            .filter(|m| m.kind == MerchantKind::Demo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_parse_and_expand() {
        let c = Catalog::load().expect("embedded data");
        let demo: Vec<&str> = c.demo_merchants().map(|m| m.domain.as_str()).collect();
        assert_eq!(
            demo,
            vec![
                "staging.luma.gift",
                "homegoods.test",
                "gadgets.test",
                "members.test"
            ]
        );
        let luma = c.merchant("staging.luma.gift").expect("luma");
        let (p, v) = luma.variant("MH07-M-Black").expect("hoodie");
        assert_eq!(p.handle, "hero-hoodie");
        assert_eq!(v.description(), "Black / M");
        assert!(luma.variant("WS12-XS-Blue").is_some());
        assert_eq!(
            luma.variant("MH07-XL-Green").expect("green").1.stock,
            Some(0)
        );
        let gadgets = c.merchant("gadgets.test").expect("gadgets");
        assert_eq!(gadgets.variant("GAD-HUB-01").expect("hub").1.stock, Some(2));
        assert!(c.merchant("SHOP-07.test").is_some());
        assert!(c.merchant("digital.test").is_some());
    }
}
