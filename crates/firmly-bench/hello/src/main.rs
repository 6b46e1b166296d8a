//! Hello-world Tauri 2 app: the platform's own floor for start-up time, memory and binary
//! size. One window (the app's size) with one static page whose marker the driver waits for.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("hello app");
}
