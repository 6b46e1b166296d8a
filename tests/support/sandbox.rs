//! A sandbox outside the app, in this test process: the API a live-mode app talks to
//! (`docs` profile: strictly as documented), or a sandbox that outlives an app that
//! crashes and restarts.

use firmly_sandbox::{Profile, SandboxConfig};

pub struct ExternalSandbox {
    pub url: String,
    _runtime: tokio::runtime::Runtime,
    _handle: firmly_sandbox::SandboxHandle,
}

impl ExternalSandbox {
    pub fn start(profile: Profile) -> ExternalSandbox {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the sandbox");
        let handle = runtime
            .block_on(firmly_sandbox::start(SandboxConfig {
                profile,
                ..SandboxConfig::default()
            }))
            .expect("the sandbox starts on 127.0.0.1:0");
        ExternalSandbox {
            url: handle.base_url(),
            _runtime: runtime,
            _handle: handle,
        }
    }

    pub fn docs() -> ExternalSandbox {
        Self::start(Profile::Docs)
    }

    pub fn demo() -> ExternalSandbox {
        Self::start(Profile::Demo)
    }
}
