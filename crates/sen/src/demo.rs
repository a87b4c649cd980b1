//! The Vietnamese demo catalogue (demo/catalog.json and real files from
//! demo/files), loaded through the same catalogue actions any client uses.

use anyhow::Context;
use bytes::Bytes;
use sen_catalog::{Actor, Catalog, Dict, Upload};
use serde::Deserialize;
use serde_json::{json, Value};

const CATALOG: &str = include_str!("../demo/catalog.json");

/// Demo accounts all share this password; they exist only with `--demo`.
pub const DEMO_PASSWORD: &str = "sen-demo-2025";

const FILES: &[(&str, &[u8])] = &[
    (
        "gso_dvhc_2021-07-11.csv",
        include_bytes!("../demo/files/gso_dvhc_2021-07-11.csv"),
    ),
    (
        "gso_dvhc_2021-07-11.xlsx",
        include_bytes!("../demo/files/gso_dvhc_2021-07-11.xlsx"),
    ),
    (
        "vn_provinces.csv",
        include_bytes!("../demo/files/vn_provinces.csv"),
    ),
    (
        "vn_listed_companies.csv",
        include_bytes!("../demo/files/vn_listed_companies.csv"),
    ),
    (
        "vn_national_assembly_members.csv",
        include_bytes!("../demo/files/vn_national_assembly_members.csv"),
    ),
    (
        "vn_units_simplified.json",
        include_bytes!("../demo/files/vn_units_simplified.json"),
    ),
    (
        "datapackage.json",
        include_bytes!("../demo/files/datapackage.json"),
    ),
];

#[derive(Deserialize)]
struct Demo {
    organizations: Vec<Value>,
    topics: Vec<Value>,
    users: Vec<DemoUser>,
    datasets: Vec<Value>,
    /// The legal library (real texts' metadata), in an order where what a
    /// text amends comes before it.
    #[serde(default)]
    legal_documents: Vec<Value>,
    #[serde(default)]
    posts: Vec<Value>,
}

#[derive(Deserialize)]
struct DemoUser {
    name: String,
    fullname: String,
    email: String,
    sysadmin: bool,
    memberships: Vec<DemoMembership>,
}

#[derive(Deserialize)]
struct DemoMembership {
    org: String,
    capacity: String,
}

fn dict(v: &Value) -> Dict {
    v.as_object().cloned().unwrap_or_default()
}

fn fail(what: &str, e: sen_domain::Error) -> anyhow::Error {
    anyhow::anyhow!("demo catalogue: {what}: {e}")
}

/// Loads the demo unless the portal already has organisations.
pub async fn load(catalog: &Catalog) -> anyhow::Result<()> {
    let anyone = Actor::anonymous();
    let existing = catalog
        .run_action("organization_list", &anyone, &Dict::new(), None)
        .await
        .context("organization_list")?
        .map_err(|e| fail("organization_list", e))?;
    if existing.as_array().is_some_and(|a| !a.is_empty()) {
        tracing::info!("the portal already has a catalogue; demo not loaded");
        return Ok(());
    }
    let demo: Demo = serde_json::from_str(CATALOG).context("demo/catalog.json")?;
    let started = std::time::Instant::now();
    // Index once at the end rather than after every one of hundreds of changes.
    catalog.defer_indexing(true);
    let loaded = load_all(catalog, &demo).await;
    catalog.defer_indexing(false);
    loaded?;
    catalog
        .rebuild_search_index(|_, _| {})
        .await
        .map_err(|e| fail("search index", e))?;

    let files = load_files_count(&demo);
    tracing::info!(
        organizations = demo.organizations.len(),
        topics = demo.topics.len(),
        datasets = demo.datasets.len(),
        files,
        seconds = started.elapsed().as_secs_f32(),
        password = DEMO_PASSWORD,
        "demo catalogue loaded (demo accounts: {})",
        demo.users
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn load_files_count(demo: &Demo) -> usize {
    demo.datasets
        .iter()
        .flat_map(|d| d["resources"].as_array().cloned().unwrap_or_default())
        .filter(|r| r.get("file").is_some())
        .count()
}

async fn load_all(catalog: &Catalog, demo: &Demo) -> anyhow::Result<()> {
    let anyone = Actor::anonymous();
    // Accounts first: the operator acts for everything else.
    let mut operator = None;
    for u in &demo.users {
        let new = sen_catalog::users::NewUser {
            name: &u.name,
            email: &u.email,
            password: DEMO_PASSWORD,
            fullname: &u.fullname,
            sysadmin: u.sysadmin,
        };
        catalog
            .create_user(&anyone, new)
            .await
            .map_err(|e| fail(&u.name, e))?;
        if u.sysadmin && operator.is_none() {
            operator = catalog
                .find_user(&u.name)
                .await
                .map_err(|e| fail(&u.name, e))?;
        }
    }
    let operator = Actor::user(operator.context("the demo catalogue needs a sysadmin user")?);

    // Organisations without their links, then the links once all exist.
    for o in &demo.organizations {
        let mut d = dict(o);
        for k in ["parent", "successor"] {
            d.remove(k);
        }
        act(catalog, &operator, "organization_create", d).await?;
    }
    for o in &demo.organizations {
        let mut d = Dict::new();
        d.insert("id".into(), o["name"].clone());
        for k in ["parent", "successor"] {
            if let Some(v) = o.get(k).filter(|v| !v.is_null()) {
                d.insert(k.into(), v.clone());
            }
        }
        if d.len() > 1 {
            act(catalog, &operator, "organization_patch", d).await?;
        }
    }
    for t in &demo.topics {
        act(catalog, &operator, "group_create", dict(t)).await?;
    }
    for u in &demo.users {
        for m in &u.memberships {
            let d = json!({"id": m.org, "username": u.name, "role": m.capacity});
            act(catalog, &operator, "organization_member_create", dict(&d)).await?;
        }
    }

    for ds in &demo.datasets {
        let mut d = dict(ds);
        let resources = d
            .remove("resources")
            .and_then(|r| r.as_array().cloned())
            .unwrap_or_default();
        let created = act(catalog, &operator, "package_create", d).await?;
        let package_id = created["id"].as_str().unwrap_or_default().to_string();
        for r in resources {
            let mut rd = dict(&r);
            rd.insert("package_id".into(), json!(package_id));
            let upload = match rd
                .remove("file")
                .and_then(|f| f.as_str().map(str::to_string))
            {
                Some(name) => {
                    let (_, bytes) = FILES
                        .iter()
                        .find(|(n, _)| *n == name)
                        .with_context(|| format!("demo file {name} is not embedded"))?;
                    let key = format!("files/{}", uuid_like(&package_id, &name));
                    let stored = catalog
                        .storage
                        .put_bytes(&key, Bytes::from_static(bytes))
                        .await?;
                    Some(Upload {
                        key: stored.key,
                        filename: name,
                        size: stored.size,
                        sha256: stored.sha256,
                        content_type: None,
                    })
                }
                None => None,
            };
            catalog
                .run_action("resource_create", &operator, &rd, upload)
                .await
                .context("resource_create")?
                .map_err(|e| fail("resource_create", e))?;
        }
    }
    for doc in &demo.legal_documents {
        act(catalog, &operator, "legal_document_create", dict(doc)).await?;
    }
    for post in &demo.posts {
        act(catalog, &operator, "post_create", dict(post)).await?;
    }
    Ok(())
}

async fn act(catalog: &Catalog, actor: &Actor, action: &str, data: Dict) -> anyhow::Result<Value> {
    let label = data
        .get("name")
        .or_else(|| data.get("id"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    catalog
        .run_action(action, actor, &data, None)
        .await
        .with_context(|| format!("unknown action {action}"))?
        .map_err(|e| fail(&format!("{action} {label}"), e))
}

/// A storage key unique to a dataset and file.
fn uuid_like(package_id: &str, name: &str) -> String {
    format!(
        "{package_id}-{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_")
    )
}
