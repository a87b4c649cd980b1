//! `sen`: the whole portal in one binary. `sen serve` runs everything on
//! embedded defaults (SQLite, local files) under one data directory.

mod bench;
mod bench_datastore;
mod config;
mod demo;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use config::Config;
use sen_catalog::{Actor, Catalog, CatalogConfig};
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "sen",
    version,
    about = "Sen — a national open-data portal in one binary",
    long_about = "Sen — a national open-data portal in one binary.\n\nConfiguration comes from embedded defaults, then a TOML file (--config, or ./sen.toml), then SEN_* environment variables (SEN_BIND, SEN_DATA_DIR, SEN_STORAGE_URL, SEN_SITE_URL, SEN_MAX_UPLOAD_BYTES, …) and DATABASE_URL, then these flags. DATABASE_URL selects SQLite (sqlite://…) or PostgreSQL (postgres://…); the storage URL selects a local directory or S3 (s3://bucket, with the AWS_* variables)."
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Data directory for the SQLite database and stored files [default: ./sen-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// TOML configuration file [default: ./sen.toml when present]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal: web pages, both APIs and background work.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Load the Vietnamese demo catalogue first if the portal is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Rebuild the search index from the database (it is derived data).
    Reindex,
    /// Operator tasks: accounts and tokens.
    Admin {
        #[command(subcommand)]
        task: AdminTask,
    },
    /// Benchmarks anyone can run: `sen bench search` measures search at scale.
    Bench {
        #[command(subcommand)]
        kind: bench::BenchKind,
    },
}

#[derive(Subcommand)]
enum AdminTask {
    /// Create a user. The password is read from standard input when it is not a
    /// terminal (one line), otherwise asked for twice.
    CreateUser {
        /// User name (2–100 characters: a–z, 0–9, - and _)
        name: String,
        #[arg(long)]
        email: String,
        /// Full name to display
        #[arg(long, default_value = "")]
        fullname: String,
        /// Give the user every right on the portal.
        #[arg(long)]
        sysadmin: bool,
    },
    /// Create an API token for a user and print it (alone) on standard output.
    CreateToken {
        /// User name or id
        name: String,
        /// What the token is for, shown in token lists
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SEN_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut config = Config::load(cli.global.config.as_deref())?;
    if let Some(d) = cli.global.data_dir {
        config.data_dir = d;
    }
    if let Command::Serve { bind: Some(b), .. } = &cli.command {
        config.bind = b.clone();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(cli.command, config))
}

async fn open_catalog(config: &Config) -> anyhow::Result<Catalog> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let db = sen_db::Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    let applied = db.migrate().await?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    let storage =
        sen_storage::Storage::open(&config.storage_url()).context("cannot open file storage")?;
    let catalog_config = CatalogConfig {
        site_url: config.site_url(),
        site_title: config.site_title.clone(),
        site_description: config.site_description.clone(),
        max_upload_bytes: config.max_upload_bytes,
        job_lease: std::time::Duration::from_secs(config.job_lease_seconds.max(1)),
        harvest_limits: sen_harvest::FetchLimits {
            max_bytes: config.harvest_max_bytes,
            timeout: std::time::Duration::from_secs(config.harvest_timeout_seconds.max(1)),
            max_redirects: config.harvest_max_redirects,
            allow_private: config.harvest_allow_private_addresses,
        },
    };
    let synonyms_file = config.data_dir.join("synonyms.txt");
    let synonyms = match std::fs::read_to_string(&synonyms_file) {
        Ok(text) => sen_search::Synonyms::with_extra(&text),
        Err(_) => sen_search::Synonyms::defaults(),
    };
    let search = sen_search::SearchIndex::open(&config.data_dir.join("search-index"), synonyms)
        .context("cannot open the search index")?;
    let mailer = match config.smtp_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => sen_mail::Mailer::smtp(url, &config.mail_from),
        None => sen_mail::Mailer::outbox(config.data_dir.join("outbox"), &config.mail_from),
    }
    .context("cannot set up outgoing mail (smtp_url, mail_from)")?;
    Ok(Catalog::new(db, storage, catalog_config, search).with_mailer(mailer))
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            if config.database_url.as_deref().is_none_or(str::is_empty) {
                // The default SQLite file lives in the data directory.
                std::fs::create_dir_all(&config.data_dir).with_context(|| {
                    format!(
                        "cannot create the data directory {}",
                        config.data_dir.display()
                    )
                })?;
            }
            let db = sen_db::Db::connect(&config.database_url()).await?;
            let n = db.migrate().await?;
            eprintln!("{n} migration(s) applied");
            Ok(())
        }
        Command::Serve { demo, .. } => {
            let catalog = open_catalog(&config).await?;
            catalog
                .ensure_search_index()
                .await
                .map_err(|e| describe(&e))?;
            if demo {
                demo::load(&catalog).await?;
            }
            serve(catalog, &config).await
        }
        Command::Reindex => {
            let catalog = open_catalog(&config).await?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:40}] {pos}/{len} datasets ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_message("indexing");
            let started = std::time::Instant::now();
            let shown = bar.clone();
            let n = catalog
                .rebuild_search_index(move |done, total| {
                    shown.set_length(total);
                    shown.set_position(done);
                })
                .await
                .map_err(|e| describe(&e))?;
            bar.finish_and_clear();
            eprintln!(
                "{n} datasets indexed in {:.1} s",
                started.elapsed().as_secs_f32()
            );
            Ok(())
        }
        Command::Admin { task } => {
            let catalog = open_catalog(&config).await?;
            admin(&catalog, task).await
        }
        Command::Bench {
            kind: bench::BenchKind::Search(args),
        } => bench::run_search(args).await,
        Command::Bench {
            kind: bench::BenchKind::Datastore(args),
        } => bench_datastore::run_datastore(args).await,
    }
}

async fn serve(catalog: Catalog, config: &Config) -> anyhow::Result<()> {
    let web = sen_web::WebConfig {
        max_body_bytes: config.max_body_bytes,
        writes_per_minute: config.writes_per_minute,
        behind_tls: config.behind_tls,
        theme_dir: config.theme_dir.clone(),
    };
    // Changes made through other nodes reach this node's search index.
    let _follower = catalog.spawn_search_follower(std::time::Duration::from_millis(500));
    let usage_flusher = catalog.spawn_usage_flusher(std::time::Duration::from_secs(10));
    // Background jobs (ingestion) from the shared queue.
    let (stop_worker, stop) = tokio::sync::watch::channel(false);
    let worker = {
        let catalog = catalog.clone();
        tokio::spawn(async move { catalog.run_worker(stop).await })
    };
    // Scheduled harvests are queued here and run by the worker.
    let scheduler = catalog.spawn_harvest_scheduler(std::time::Duration::from_secs(60));
    // Overdue access requests are flagged and their agencies reminded here.
    let access_clock = catalog.spawn_access_request_clock(std::time::Duration::from_secs(300));
    let app = sen_web::router(sen_web::AppState::new(catalog.clone(), web));
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!(
        address = %listener.local_addr()?,
        site = %config.site_url(),
        database = %redact(&config.database_url()),
        storage = %catalog.storage.description(),
        "Sen is serving"
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // A job cut short keeps its lease until it runs out, then runs again.
    let _ = stop_worker.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), worker).await;
    usage_flusher.abort();
    scheduler.abort();
    access_clock.abort();
    if let Err(e) = catalog.flush_usage().await {
        tracing::warn!(error = %e, "usage counts of the last seconds were not written");
    }
    catalog.db.close().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down");
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        Ok(first)
    } else {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        Ok(input.lines().next().unwrap_or("").to_string())
    }
}

async fn admin(catalog: &Catalog, task: AdminTask) -> anyhow::Result<()> {
    match task {
        AdminTask::CreateUser {
            name,
            email,
            fullname,
            sysadmin,
        } => {
            let password = read_password()?;
            let new = sen_catalog::users::NewUser {
                name: &name,
                email: &email,
                password: &password,
                fullname: &fullname,
                sysadmin,
            };
            let user = catalog
                .create_user(&Actor::anonymous(), new)
                .await
                .map_err(|e| describe(&e))?;
            eprintln!(
                "created user {} ({})",
                name,
                user["id"].as_str().unwrap_or("")
            );
            Ok(())
        }
        AdminTask::CreateToken { name, label } => {
            let token = catalog
                .admin_create_token(&name, &label)
                .await
                .map_err(|e| describe(&e))?;
            println!("{token}");
            Ok(())
        }
    }
}

/// A catalogue error in plain English for the terminal.
fn describe(e: &sen_domain::Error) -> anyhow::Error {
    let tr = |m: &sen_domain::Msg| {
        let args: Vec<(&str, String)> = m.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        sen_i18n::t(sen_i18n::Lang::En, m.key, &args)
    };
    let mut text = tr(&e.message);
    for (field, msgs) in &e.fields {
        for m in msgs {
            text.push_str(&format!("\n  {field}: {}", tr(m)));
        }
    }
    anyhow::anyhow!(text)
}
