//! Settings of a running server, from command-line flags or `XUKE_*` environment variables.

use std::path::PathBuf;

/// Settings of `xuke serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Folder that holds the database (xuke.redb), the search index and the CSRF key;
    /// created on first start.
    #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
    pub data_dir: PathBuf,

    /// Address and port to listen on.
    #[arg(long, env = "XUKE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Mark cookies Secure, so browsers send them over HTTPS only. Turn on when the server
    /// is reached through HTTPS, for example behind a TLS-terminating proxy; the variable
    /// takes true or false.
    #[arg(long, env = "XUKE_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// bcrypt cost factor for new password hashes (4-31); 12 takes about 0.25 s per hash.
    #[arg(long, env = "XUKE_BCRYPT_COST", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(4..=31))]
    pub bcrypt_cost: u32,

    /// Largest attachment accepted, in MiB.
    #[arg(long, env = "XUKE_MAX_ATTACHMENT_MIB", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=200))]
    pub max_attachment_mib: u32,

    /// Address at which the public reaches this server, used in the QR codes of certificates.
    #[arg(long, env = "XUKE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,

    /// Hours a login session lasts (1-720).
    #[arg(long, env = "XUKE_SESSION_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_hours: u32,
}

impl Config {
    /// Settings for a server on `data_dir` with every other value at its default.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            listen: "127.0.0.1:8080".to_string(),
            secure_cookies: false,
            bcrypt_cost: 12,
            max_attachment_mib: 20,
            public_url: "http://127.0.0.1:8080".to_string(),
            session_hours: 12,
        }
    }

    pub fn max_attachment_bytes(&self) -> usize {
        self.max_attachment_mib as usize * 1024 * 1024
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("xuke.redb")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    pub fn csrf_key_path(&self) -> PathBuf {
        self.data_dir.join("csrf.key")
    }
}
