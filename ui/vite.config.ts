import { defineConfig } from "vite";

// The UI is served by Tauri from ui/dist (no dev server in the app).
export default defineConfig({
  root: ".",
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Every webview the app runs in (WebKitGTK ≥ 2.42, WKWebView, WebView2) knows
    // `modulepreload`: no polyfill in the first script (it watched the whole document).
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "happy-dom",
    globals: true,
    include: ["test/**/*.test.ts"],
  },
});
