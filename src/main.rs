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
    /// Replace the holiday schedule (date,kind,name rows; kind is holiday or workday) that
    /// deadlines are counted on. Include every year still needed, such as the embedded
    /// 2025 and 2026 rows plus the new year's.
    SetHolidays {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// CSV file with the whole schedule.
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Set a new password for an account, for a user who forgot theirs; lifts any lock.
    /// Without --password-stdin a password is generated and printed once.
    ResetPassword {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// Login name: the credit code of an enterprise or a staff login name.
        #[arg(long)]
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// bcrypt cost factor for the password hash.
        #[arg(long, env = "XUKE_BCRYPT_COST", default_value_t = 12)]
        bcrypt_cost: u32,
    },
    /// Replace the personnel qualification items (the columns of
    /// assets/data/personnel-items.csv), for example to correct an inspector item code.
    SetPersonnelItems {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// CSV file with every item.
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Print the holiday schedule in force as CSV.
    ShowHolidays {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
    },
    /// Register a review agency (鉴定评审机构) that authorities can name on acceptance.
    CreateAgency {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// Full name of the agency.
        #[arg(long)]
        name: String,
        /// Contact person printed on acceptance decisions.
        #[arg(long)]
        contact: String,
        /// Contact telephone printed on acceptance decisions.
        #[arg(long)]
        phone: String,
    },
    /// Create a staff account. Without --password-stdin a password is generated and
    /// printed once.
    CreateUser {
        /// Folder that contains xuke.redb.
        #[arg(long, env = "XUKE_DATA_DIR", default_value = "./xuke-data")]
        data_dir: std::path::PathBuf,
        /// Role of the account: authority-staff or agency-staff.
        #[arg(long, default_value = "authority-staff")]
        role: String,
        /// Authority an authority-staff member works for: its code (10 for SAMR, else the
        /// province code such as 32), its name or its province.
        #[arg(long)]
        authority: Option<String>,
        /// Id of the review agency an agency-staff member works for, as printed by
        /// create-agency.
        #[arg(long)]
        agency: Option<u64>,
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
            command: AdminCommand::SetHolidays { data_dir, file },
        } => set_holidays(&Config::with_data_dir(data_dir), &file),
        Command::Admin {
            command: AdminCommand::ShowHolidays { data_dir },
        } => show_holidays(&Config::with_data_dir(data_dir)),
        Command::Admin {
            command: AdminCommand::SetPersonnelItems { data_dir, file },
        } => set_personnel_items(&Config::with_data_dir(data_dir), &file),
        Command::Admin {
            command:
                AdminCommand::ResetPassword {
                    data_dir,
                    login,
                    password_stdin,
                    bcrypt_cost,
                },
        } => reset_password(
            &Config {
                bcrypt_cost,
                ..Config::with_data_dir(data_dir)
            },
            &login,
            password_stdin,
        ),
        Command::Admin {
            command:
                AdminCommand::CreateAgency {
                    data_dir,
                    name,
                    contact,
                    phone,
                },
        } => create_agency(&Config::with_data_dir(data_dir), &name, &contact, &phone),
        Command::Admin {
            command:
                AdminCommand::CreateUser {
                    data_dir,
                    role,
                    authority,
                    agency,
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
            agency,
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
    authority: Option<String>,
    agency: Option<u64>,
    login: String,
    name: Option<String>,
    password_stdin: bool,
}

fn create_user(request: CreateUser) -> Result<()> {
    let role = Role::from_name(&request.role).with_context(|| {
        format!(
            "unknown role {:?}; use authority-staff or agency-staff",
            request.role
        )
    })?;
    let authorities = xuke::assets::authorities()?;
    let (authority, agency) = match role {
        Role::Enterprise | Role::Individual => {
            bail!("enterprises and individuals register themselves in the browser; create-user makes staff accounts")
        }
        Role::AuthorityStaff => {
            let wanted = request
                .authority
                .as_deref()
                .context("--authority is required for authority-staff")?;
            let authority = authorities
                .all()
                .iter()
                .find(|authority| {
                    authority.code.to_string() == wanted
                        || authority.name == wanted
                        || authority.province == wanted
                })
                .with_context(|| format!("unknown authority {wanted:?}; use a code such as 10 or 32, or a name such as 江苏省市场监督管理局"))?;
            (Some(authority.clone()), None)
        }
        Role::AgencyStaff => {
            let agency = request
                .agency
                .context("--agency is required for agency-staff; create-agency prints the id")?;
            (None, Some(agency))
        }
    };

    let login = request.login.trim().to_string();
    let valid_login = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid_login {
        bail!("invalid login name {login:?}: use 3-40 letters, digits, '-', '_' or '.'");
    }

    if xuke::domain::CreditCode::parse(&login).is_ok() {
        bail!("login name {login} is a unified social credit code, which enterprises log in with; choose another");
    }
    let (password, generated) = new_password(request.password_stdin)?;
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
    let agency_name = match agency {
        Some(id) => Some(
            store
                .agency(id)?
                .with_context(|| format!("no review agency with id {id}; run create-agency first"))?
                .name,
        ),
        None => None,
    };
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
                authority: authority.as_ref().map(|authority| authority.code),
                agency,
                person: None,
            },
            Utc::now(),
        )
        .with_context(|| format!("cannot create account {login}"))?;
    tracing::info!(account = account.id, role = ?role, "staff account created");

    let employer = authority
        .map(|authority| authority.name)
        .or(agency_name)
        .unwrap_or_default();
    println!("已创建工作人员账号：{}（{}）", account.login, employer);
    if generated {
        println!("初始密码（只显示这一次，请妥善保存）：{password}");
    } else if io::stdin().is_terminal() {
        println!("密码已设置。");
    }
    Ok(())
}

fn create_agency(config: &Config, name: &str, contact: &str, phone: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || contact.trim().is_empty() || phone.trim().is_empty() {
        bail!("--name, --contact and --phone must not be empty");
    }
    let store = open_store(config)?;
    let agency = store.create_agency(name, contact.trim(), phone.trim(), Utc::now())?;
    tracing::info!(agency = agency.id, "review agency created");
    println!("已登记鉴定评审机构：{}（编号 {}）", agency.name, agency.id);
    Ok(())
}

fn open_store(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data folder {}", config.data_dir.display()))?;
    Store::open(&config.database_path()).context(
        "cannot open the database; stop the server first, since only one process may open it",
    )
}

fn set_holidays(config: &Config, file: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read holiday schedule {}", file.display()))?;
    let calendar = xuke::domain::calendar::WorkingCalendar::from_csv(&text)
        .with_context(|| format!("holiday schedule {} is invalid", file.display()))?;
    let years: Vec<String> = (2000..=2100)
        .filter(|year| calendar.has_year(*year))
        .map(|year| year.to_string())
        .collect();
    open_store(config)?.set_setting(xuke::web::HOLIDAYS_SETTING, &text)?;
    tracing::info!(years = %years.join(","), "holiday schedule replaced");
    println!(
        "节假日安排已更新，包含年度：{}。重启服务后生效。",
        years.join("、")
    );
    Ok(())
}

fn show_holidays(config: &Config) -> Result<()> {
    match open_store(config)?.setting(xuke::web::HOLIDAYS_SETTING)? {
        Some(text) => print!("{text}"),
        None => print!("{}", String::from_utf8_lossy(&xuke::assets::holidays_csv())),
    }
    Ok(())
}

/// Reads a new password from standard input, or generates one. The returned flag is true
/// for a generated password.
fn new_password(from_stdin: bool) -> Result<(String, bool)> {
    if !from_stdin {
        return Ok((Alphanumeric.sample_string(&mut rand::rng(), 16), true));
    }
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if let Err(message) = password::validate_new_password(&password) {
        bail!("password rejected: {message}");
    }
    Ok((password, false))
}

fn reset_password(config: &Config, login: &str, from_stdin: bool) -> Result<()> {
    let store = open_store(config)?;
    let account = store
        .account_by_login(login)?
        .with_context(|| format!("no account with login name {login:?}"))?;
    let (password, generated) = new_password(from_stdin)?;
    let hash = bcrypt::hash(&password, config.bcrypt_cost)?;
    store.reset_password(account.id, hash)?;
    tracing::info!(account = account.id, "password reset by administrator");
    println!("已重置账号 {} 的密码。", account.login);
    if generated {
        println!("新密码（只显示这一次，请妥善保存）：{password}");
    }
    Ok(())
}

fn set_personnel_items(config: &Config, file: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read personnel items {}", file.display()))?;
    let items = xuke::domain::personnel::PersonnelItems::from_csv(&text)
        .with_context(|| format!("personnel items {} are invalid", file.display()))?;
    open_store(config)?.set_setting(xuke::web::PERSONNEL_ITEMS_SETTING, &text)?;
    tracing::info!(items = items.all().len(), "personnel items replaced");
    println!(
        "人员资格认定项目已更新，共{}项。重启服务后生效。",
        items.all().len()
    );
    Ok(())
}
