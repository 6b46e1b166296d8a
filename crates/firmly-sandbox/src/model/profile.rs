//! The sandbox profile (CONTRACTS.md §3): `docs` answers strictly as the Firmly docs say;
//! `demo` (the default) adds the few extensions CONTRACTS.md §3 lists.

/// Which reading of the docs the sandbox serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Profile {
    /// The default: documented behaviour plus the extensions of CONTRACTS.md §3.
    #[default]
    Demo,
    /// Strictly documented shapes, error ids and statuses; no extensions.
    Docs,
}

impl Profile {
    /// `"demo"` or `"docs"` (case-insensitive, surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Profile> {
        match s.trim().to_ascii_lowercase().as_str() {
            "demo" => Some(Profile::Demo),
            "docs" => Some(Profile::Docs),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Demo => "demo",
            Profile::Docs => "docs",
        }
    }

    /// Whether the CONTRACTS.md §3 extensions are on.
    pub fn extensions(self) -> bool {
        self == Profile::Demo
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Profile, String> {
        Profile::parse(s).ok_or_else(|| format!("unknown profile '{s}' (use demo or docs)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_names() {
        assert_eq!(Profile::parse(" Docs "), Some(Profile::Docs));
        assert_eq!("demo".parse::<Profile>(), Ok(Profile::Demo));
        assert_eq!(Profile::parse("live"), None);
        assert_eq!(Profile::default().as_str(), "demo");
        assert!(Profile::Demo.extensions() && !Profile::Docs.extensions());
    }
}
