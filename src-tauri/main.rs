// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // OpenSSL starts before any thread uses it and skips its exit-time clean-up, which
    // would free what a key generation or encryption on another thread still uses.
    openssl::init();
    firmly_desk_lib::run();
}
