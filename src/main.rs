//! The `xuke` command: run the server, or administer accounts on its data folder.

use std::io::{self, BufRead, IsTerminal};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use clap::{Parser, Subcommand};
use rand::distr::{Alphanumeric, SampleString};
use tracing_subscriber::EnvFilter;

use xuke::config::Config;
use xuke::domain::{password, Role};
use xuke::store::{NewAccount, Store};

#[derive(Parser)]
#[command(
    name = "xuke",
    version,
    about = "特种设备行政许可系统 (special equipment licensing system)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve(Config),
    /// Administer accounts; run while the server is stopped, since the database has one
    /// writer process at a time.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account. Without --password-stdin a password is generated and
    /// printed once.
    CreateUser {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// Role of the account: authority-staff.
        #[arg(long, default_value = "authority-staff")]
        role: String,
        /// Authority the staff member works for: its code (10 for SAMR, else the province
        /// code such as 32), its name or its province.
        #[arg(long)]
        authority: String,
        /// Login name, letters, digits, '-', '_' or '.', 3-40 characters.
        #[arg(long)]
        login: String,
        /// Name shown in the interface; defaults to the login name.
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// bcrypt cost factor for the password hash.
        #[arg(long, env = "XUKE_BCRYPT_COST", default_value_t = 12)]
        bcrypt_cost: u32,
    },
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(io::stderr)
        .init();

    match Cli::parse().command {
        Command::Serve(config) => serve(config),
        Command::Admin {
            command:
                AdminCommand::CreateUser {
                    data_dir,
                    role,
                    authority,
                    login,
                    name,
                    password_stdin,
                    bcrypt_cost,
                },
        } => create_user(CreateUser {
            config: Config {
                bcrypt_cost,
                ..Config::with_data_dir(data_dir)
            },
            role,
            authority,
            login,
            name,
            password_stdin,
        }),
    }
}

fn serve(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(xuke::server::run(config))
}

struct CreateUser {
    config: Config,
    role: String,
    authority: String,
    login: String,
    name: Option<String>,
    password_stdin: bool,
}

fn create_user(request: CreateUser) -> Result<()> {
    let role = Role::from_name(&request.role)
        .with_context(|| format!("unknown role {:?}; use authority-staff", request.role))?;
    if role != Role::AuthorityStaff {
        bail!("enterprises register themselves in the browser; create-user makes staff accounts");
    }
    let authorities = xuke::assets::authorities()?;
    let authority = authorities
        .all()
        .iter()
        .find(|authority| {
            authority.code.to_string() == request.authority
                || authority.name == request.authority
                || authority.province == request.authority
        })
        .with_context(|| format!("unknown authority {:?}; use a code such as 10 or 32, or a name such as 江苏省市场监督管理局", request.authority))?;

    let login = request.login.trim().to_string();
    let valid_login = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid_login {
        bail!("invalid login name {login:?}: use 3-40 letters, digits, '-', '_' or '.'");
    }

    let (password, generated) = if request.password_stdin {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        if let Err(message) = password::validate_new_password(&password) {
            bail!("password rejected: {message}");
        }
        (password, false)
    } else {
        (Alphanumeric.sample_string(&mut rand::rng(), 16), true)
    };
    let password_hash = bcrypt::hash(&password, request.config.bcrypt_cost)?;

    std::fs::create_dir_all(&request.config.data_dir).with_context(|| {
        format!(
            "cannot create data folder {}",
            request.config.data_dir.display()
        )
    })?;
    let store = Store::open(&request.config.database_path()).context(
        "cannot open the database; stop the server first, since only one process may open it",
    )?;
    let account = store
        .create_account(
            NewAccount {
                role,
                login: login.clone(),
                display_name: request.name.unwrap_or_else(|| login.clone()),
                password_hash,
                credit_code: None,
                contact_name: String::new(),
                mobile: String::new(),
                authority: Some(authority.code),
            },
            Utc::now(),
        )
        .with_context(|| format!("cannot create account {login}"))?;
    tracing::info!(
        account = account.id,
        authority = authority.code,
        "staff account created"
    );

    println!(
        "已创建工作人员账号：{}（{}）",
        account.login, authority.name
    );
    if generated {
        println!("初始密码（只显示这一次，请妥善保存）：{password}");
    } else if io::stdin().is_terminal() {
        println!("密码已设置。");
    }
    Ok(())
}
