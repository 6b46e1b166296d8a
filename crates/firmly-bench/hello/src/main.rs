//! Hello-world Tauri 2 app: the platform's own floor for start-up time, memory and binary
//! size. One window (the app's size) with one static page whose marker the driver waits for.
//!
//! Its one command, `payload`, is the IPC floor for an answer of a given size: `len` bytes
//! of JSON-like text, answered as raw bytes exactly as the app's `raw_cart` answers its
//! cart (`tauri::ipc::Response`: the page gets an `ArrayBuffer`). The bench times it with
//! the cart's own size beside the app's `raw_cart` (docs/BENCHMARKS.md §6). It adds under
//! 1 KB to the binary.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;

/// Upper bound of `payload`'s answer: 1 MiB.
const MAX: usize = 1 << 20;

#[tauri::command]
fn payload(len: usize) -> tauri::ipc::Response {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    let text = TEXT.get_or_init(|| {
        let line = b"  {\"id\": \"line-item\", \"quantity\": 1, \"price\": {\"value\": 9.5}},\n";
        line.iter().copied().cycle().take(MAX).collect()
    });
    tauri::ipc::Response::new(text[..len.min(MAX)].to_vec())
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![payload])
        .run(tauri::generate_context!())
        .expect("hello app");
}
