//! The machine the app runs on, for "Copy diagnostics": the operating system's name and
//! version (`/etc/os-release`), the kernel release and the WebKitGTK version the window uses.

/// `PRETTY_NAME` of an os-release text, if it has one.
fn pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|l| {
        let v = l.strip_prefix("PRETTY_NAME=")?;
        Some(v.trim().trim_matches('"').to_string()).filter(|v| !v.is_empty())
    })
}

/// "Debian GNU/Linux 12 (bookworm) · Linux 6.1.0 · WebKitGTK 2.48.1".
pub fn platform_text() -> String {
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| pretty_name(&t))
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| format!("Linux {}", k.trim()))
        .unwrap_or_else(|_| std::env::consts::ARCH.to_string());
    format!("{os} · {kernel} · {}", webkit_version())
}

#[cfg(target_os = "linux")]
fn webkit_version() -> String {
    // SAFETY: these three functions of the WebKitGTK library the window already loaded take
    // no arguments and only return the library's compile-time version numbers.
    let (major, minor, micro) = unsafe {
        (
            webkit2gtk_sys::webkit_get_major_version(),
            webkit2gtk_sys::webkit_get_minor_version(),
            webkit2gtk_sys::webkit_get_micro_version(),
        )
    };
    format!("WebKitGTK {major}.{minor}.{micro}")
}

#[cfg(not(target_os = "linux"))]
fn webkit_version() -> String {
    "WebView".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_names_the_os_the_kernel_and_the_web_engine() {
        assert_eq!(
            pretty_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                .as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(pretty_name("NAME=x"), None);
        let text = platform_text();
        assert!(
            text.contains("WebKitGTK ") && text.matches(" · ").count() == 2,
            "{text}"
        );
    }
}
