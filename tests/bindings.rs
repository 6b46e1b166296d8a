//! The TypeScript bindings in `ui/src/bindings.ts` are generated from the command and
//! event set and committed; this test regenerates them and fails on any drift.
//! Refresh with `UPDATE_BINDINGS=1 cargo test --test bindings`.

use std::path::PathBuf;

#[test]
fn bindings_match_the_commands() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
    let generated = firmly_desk_lib::bindings_typescript().expect("bindings export");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test --test bindings` and commit it"
    );
}
