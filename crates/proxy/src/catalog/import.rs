mod actions;
mod connection;
mod files;
mod schemas;

use actions::{convert_action, media_types};
use connection::connection_sets;
use files::walk;
pub use files::{parse_doc, read_file, read_json};
use schemas::Ctx;

use super::capabilities;
use super::doc::{Doc, Object, NULL};
use plugboard_model::connector::{action_id, AuthKind, ConnectorDetail, Link, TriggerSummary};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub const DEFINITION_FILE: &str = "apiDefinition.swagger.json";
pub const PROPERTIES_FILE: &str = "apiProperties.json";
/// Largest definition file accepted (the corpus' largest is 1.1 MB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One file the importer refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.reason
        )
    }
}

/// A part of a definition the importer left out (the connector itself is imported).
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub file: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.reason)
    }
}

/// The outcome of importing folder trees.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub connectors: Vec<ConnectorDetail>,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Warning>,
    /// Folders with an `apiProperties.json` but no definition.
    pub skipped: Vec<PathBuf>,
}

impl ImportReport {
    pub fn action_count(&self) -> usize {
        self.connectors.iter().map(|c| c.actions.len()).sum()
    }

    pub fn summary_line(&self) -> String {
        format!(
            "imported {} connectors ({} actions), rejected {} files",
            self.connectors.len(),
            self.action_count(),
            self.rejected.len()
        )
    }
}

/// One folder's outcome, filled by a worker thread.
type Slot = Mutex<Option<Result<(ConnectorDetail, Vec<Warning>), Vec<Rejected>>>>;

/// Import every connector under `roots` (earlier roots win an id collision).
pub fn import_dirs(roots: &[PathBuf]) -> ImportReport {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut rejected = Vec::new();
    for root in roots {
        walk(root, 0, &mut found, &mut skipped, &mut rejected);
    }
    let results: Vec<Slot> = found.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(found.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = found.get(i) else { break };
                let r = import_connector(&f.dir);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    let mut connectors = Vec::new();
    let mut warnings = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (f, r) in found.iter().zip(results) {
        match r.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok((mut c, mut w))) => {
                warnings.append(&mut w);
                let base = slug(&c.id);
                let mut id = base.clone();
                if ids.contains(&id) {
                    id = format!("{}-{}", slug(&f.parent_name), base);
                }
                let mut n = 2;
                while ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                ids.insert(id.clone());
                set_id(&mut c, id);
                connectors.push(c);
            }
            Some(Err(mut r)) => rejected.append(&mut r),
            None => {}
        }
    }
    ImportReport {
        connectors,
        rejected,
        warnings,
        skipped,
    }
}

fn set_id(c: &mut ConnectorDetail, id: String) {
    for a in &mut c.actions {
        a.def.id = action_id(&id, &a.operation_id);
    }
    c.id = id;
}

/// Import one connector folder.
pub fn import_connector(dir: &Path) -> Result<(ConnectorDetail, Vec<Warning>), Vec<Rejected>> {
    let def_path = dir.join(DEFINITION_FILE);
    let def_bytes = read_file(&def_path);
    let def = def_bytes
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|b| parse_doc(&def_path, b));
    let props_path = dir.join(PROPERTIES_FILE);
    let props_bytes = if props_path.is_file() {
        read_file(&props_path).map(Some)
    } else {
        Ok(None)
    };
    let props = match &props_bytes {
        Ok(Some(b)) => parse_doc(&props_path, b).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e.clone()),
    };
    let (def, props) = match (def, props) {
        (Ok(d), Ok(p)) => (d, p),
        (d, p) => {
            let mut errs = Vec::new();
            if let Err(e) = d {
                errs.push(e);
            }
            if let Err(e) = p {
                errs.push(e);
            }
            return Err(errs);
        }
    };
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "connector".into());
    let mut reasons = Vec::new();
    let detail = convert(&folder, &def, props.as_ref(), &mut reasons);
    let warnings = reasons
        .into_iter()
        .map(|reason| Warning {
            file: def_path.clone(),
            reason,
        })
        .collect();
    Ok((detail, warnings))
}

fn s<'a>(v: &'a Doc<'a>, key: &str) -> &'a str {
    v.get(key).and_then(Doc::as_str).unwrap_or("")
}

fn truthy(v: Option<&Doc>) -> bool {
    match v {
        Some(Doc::Bool(b)) => *b,
        Some(Doc::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Build the connector from its parsed files. `id` is the folder name until `import_dirs` slugs it.
/// Parts left out (bad `testConnection`, an API key with no place) are added to `warnings`.
pub fn convert(
    folder: &str,
    def: &Doc,
    props: Option<&Doc>,
    warnings: &mut Vec<String>,
) -> ConnectorDetail {
    let info = def.get("info").unwrap_or(&NULL);
    let name = match s(info, "title").trim() {
        "" => folder.to_string(),
        t => t.to_string(),
    };
    let mut categories = Vec::new();
    let mut links = Vec::new();
    if let Some(meta) = def.get("x-ms-connector-metadata").and_then(Doc::as_array) {
        for m in meta {
            let (k, v) = (s(m, "propertyName"), s(m, "propertyValue"));
            if k.eq_ignore_ascii_case("categories") {
                categories.extend(
                    v.split(';')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(String::from),
                );
            } else if v.starts_with("http") {
                links.push(Link {
                    name: k.to_string(),
                    url: v.to_string(),
                });
            }
        }
    }
    let props = props.and_then(|p| p.get("properties")).unwrap_or(&NULL);
    let security = def.get("securityDefinitions").and_then(Doc::as_object);
    let mut auth: Vec<AuthKind> = security
        .into_iter()
        .flat_map(Object::values)
        .filter_map(|d| match s(d, "type") {
            "apiKey" => Some(AuthKind::ApiKey),
            "basic" => Some(AuthKind::Basic),
            "oauth2" => Some(AuthKind::Oauth2),
            _ => None,
        })
        .collect();
    let sets = connection_sets(props, security);
    for set in &sets {
        auth.push(set.auth);
    }
    auth.sort();
    auth.dedup();
    // "None" only counts as a way in when it is one choice among several parameter sets.
    if auth.len() > 1 && sets.len() < 2 {
        auth.retain(|a| *a != AuthKind::None);
    }
    if auth.is_empty() {
        auth.push(AuthKind::None);
    }

    let ctx = Ctx {
        definitions: def.get("definitions").and_then(Doc::as_object),
        parameters: def.get("parameters").and_then(Doc::as_object),
    };
    let mut actions = Vec::new();
    let mut triggers = Vec::new();
    let mut used_ids = HashSet::new();
    if let Some(paths) = def.get("paths").and_then(Doc::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let common: Vec<&Doc> = item
                .get("parameters")
                .and_then(Doc::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            for (method, op) in item {
                if !matches!(
                    method,
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch"
                ) || !op.is_object()
                {
                    continue;
                }
                let mut op_id = s(op, "operationId").to_string();
                if op_id.is_empty() || used_ids.contains(&op_id) {
                    op_id = format!("{method}{}", path.replace(['/', '{', '}', ' '], "_"));
                }
                used_ids.insert(op_id.clone());
                let label = [s(op, "summary"), s(op, "x-ms-summary")]
                    .into_iter()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or(&op_id)
                    .trim()
                    .to_string();
                let description = s(op, "description").to_string();
                if op.get("x-ms-trigger").is_some() {
                    triggers.push(TriggerSummary {
                        operation_id: op_id,
                        name: label,
                        description,
                    });
                    continue;
                }
                actions.push(convert_action(
                    &ctx,
                    &name,
                    path,
                    method,
                    op,
                    &common,
                    op_id,
                    label,
                    description,
                ));
            }
        }
    }
    // An operation without its own `consumes` takes the document's.
    let consumes = media_types(def.get("consumes"));
    for a in actions.iter_mut().filter(|a| a.consumes.is_empty()) {
        a.consumes.clone_from(&consumes);
    }
    let test_connection = capabilities::test_connection(def, &actions).unwrap_or_else(|w| {
        warnings.push(w);
        None
    });
    ConnectorDetail {
        id: folder.to_string(),
        name,
        description: s(info, "description").to_string(),
        color: s(props, "iconBrandColor").to_string(),
        categories,
        links,
        publisher: s(props, "publisher").to_string(),
        host: s(def, "host").to_string(),
        base_path: s(def, "basePath").to_string(),
        schemes: def
            .get("schemes")
            .and_then(Doc::as_array)
            .map(|a| a.iter().filter_map(Doc::as_str).map(String::from).collect())
            .unwrap_or_default(),
        host_url: capabilities::host_url(props, warnings),
        auth,
        connection_parameter_sets: sets,
        security: capabilities::security(security, warnings),
        test_connection,
        actions,
        triggers,
    }
}

/// A stable, URL- and name-friendly id from a folder name: lowercase ASCII letters, digits and `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let mapped: &str = match c {
            'ø' | 'Ø' | 'ö' | 'Ö' | 'ó' | 'ò' | 'ô' | 'õ' => "o",
            'å' | 'Å' | 'ä' | 'Ä' | 'á' | 'à' | 'â' | 'ã' => "a",
            'æ' | 'Æ' => "ae",
            'é' | 'è' | 'ê' | 'ë' | 'É' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' => "u",
            'ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("connector");
    }
    out.truncate(64);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Brønnøysundregistrene"), "bronnoysundregistrene");
        assert_eq!(slug("Revizto (Ireland)"), "revizto-ireland");
        assert_eq!(slug("  "), "connector");
    }
}
