//! The Power Platform custom-connector importer: one folder per connector holding
//! `apiDefinition.swagger.json` (Swagger 2.0 with `x-ms-*` extensions) and `apiProperties.json`.
//! Every valid connector is taken; every malformed file is reported (file, line, column, reason)
//! and its connector rejected whole. Bad input never panics and is bounded in size and depth.

use super::capabilities;
use super::doc::{Doc, Object, NULL};
use plugboard_model::catalog::{ActionDef, Output, Param, ParamType, Visibility};
use plugboard_model::connector::{
    action_id, ApiVisibility, AuthKind, ConnectionParameter, ConnectionParameterKind,
    ConnectionParameterSet, ConnectorAction, ConnectorDetail, Link, OAuthSettings, ParamBinding,
    ParamLocation, Schema, TriggerSummary, UrlEncoding,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub const DEFINITION_FILE: &str = "apiDefinition.swagger.json";
pub const PROPERTIES_FILE: &str = "apiProperties.json";
/// Largest definition file accepted (the corpus' largest is 1.1 MB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// How deep body schemas are flattened into fields.
const MAX_FIELD_DEPTH: usize = 3;
/// How deep response schemas are followed, and how many nodes one may have.
const MAX_SCHEMA_DEPTH: usize = 6;
const MAX_SCHEMA_NODES: usize = 400;
/// How deep folders are searched for connectors.
const MAX_DIR_DEPTH: usize = 6;

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

/// A connector folder found by the walk.
struct Found {
    dir: PathBuf,
    /// The folder that holds it (for telling apart two connectors with the same folder name).
    parent_name: String,
}

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

fn walk(
    dir: &Path,
    depth: usize,
    found: &mut Vec<Found>,
    skipped: &mut Vec<PathBuf>,
    rejected: &mut Vec<Rejected>,
) {
    if depth > MAX_DIR_DEPTH {
        return;
    }
    if dir.join(DEFINITION_FILE).is_file() {
        let parent_name = dir
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        found.push(Found {
            dir: dir.to_path_buf(),
            parent_name,
        });
        return;
    }
    if depth > 0 && dir.join(PROPERTIES_FILE).is_file() {
        skipped.push(dir.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            if depth == 0 {
                rejected.push(Rejected {
                    file: dir.to_path_buf(),
                    line: 0,
                    column: 0,
                    reason: format!("cannot read folder: {e}"),
                });
            }
            return;
        }
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk(&d, depth + 1, found, skipped, rejected);
    }
}

/// Read one file whole (one allocation, sized from the open file), bounded in size.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Rejected> {
    use std::io::Read;
    let reject = |reason: String| Rejected {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        reason,
    };
    let mut file = std::fs::File::open(path).map_err(|e| reject(format!("cannot read: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| reject(format!("cannot read: {e}")))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(reject(format!(
            "file too large: {len} bytes (limit {MAX_FILE_BYTES})"
        )));
    }
    // One byte more than the size, so a file that grew is still read to its end in one go.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.by_ref()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| reject(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(reject(format!(
            "file too large: over {MAX_FILE_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// Parse a file's bytes: a UTF-8 BOM is tolerated; errors carry position; the document must be
/// an object.
pub fn parse_doc<'a>(path: &Path, bytes: &'a [u8]) -> Result<Doc<'a>, Rejected> {
    let reject = |line, column, reason: String| Rejected {
        file: path.to_path_buf(),
        line,
        column,
        reason,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match serde_json::from_slice::<Doc>(body) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err(reject(1, 1, "the document is not a JSON object".into())),
        Err(e) => {
            let mut reason = e.to_string();
            // serde_json appends " at line L column C"; we print the position separately.
            if let Some(i) = reason.rfind(" at line ") {
                reason.truncate(i);
            }
            if std::str::from_utf8(body).is_err() && reason.contains("unicode") {
                reason = format!("{reason} (the file is not valid UTF-8)");
            }
            Err(reject(e.line(), e.column(), reason))
        }
    }
}

/// Read and parse one JSON file into a `Value` (see `read_file` and `parse_doc`).
pub fn read_json(path: &Path) -> Result<Value, Rejected> {
    let bytes = read_file(path)?;
    parse_doc(path, &bytes).map(|d| d.to_value())
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
        auth,
        connection_parameter_sets: sets,
        security: capabilities::security(security, warnings),
        test_connection,
        actions,
        triggers,
    }
}

fn visibility(v: &Doc) -> ApiVisibility {
    match s(v, "x-ms-visibility") {
        "important" => ApiVisibility::Important,
        "advanced" => ApiVisibility::Advanced,
        "internal" => ApiVisibility::Internal,
        _ => ApiVisibility::Normal,
    }
}

struct Ctx<'a> {
    definitions: Option<&'a Object<'a>>,
    parameters: Option<&'a Object<'a>>,
}

impl<'a> Ctx<'a> {
    /// Follow a local `$ref` (`#/definitions/X`, `#/parameters/X`), if any; `None` if dangling.
    fn resolve(&self, v: &'a Doc<'a>) -> Option<(&'a Doc<'a>, Option<&'a str>)> {
        let Some(r) = v.get("$ref").and_then(Doc::as_str) else {
            return Some((v, None));
        };
        let (table, name) = if let Some(n) = r.strip_prefix("#/definitions/") {
            (self.definitions, n)
        } else if let Some(n) = r.strip_prefix("#/parameters/") {
            (self.parameters, n)
        } else {
            return None;
        };
        let table = table?;
        table
            .get(name)
            .or_else(|| table.get(&name.replace("~1", "/").replace("~0", "~")))
            .or_else(|| table.get(&name.replace("%20", " ")))
            .map(|t| (t, Some(r)))
    }
}

#[allow(clippy::too_many_arguments)]
fn convert_action(
    ctx: &Ctx,
    connector_name: &str,
    path: &str,
    method: &str,
    op: &Doc,
    common: &[&Doc],
    op_id: String,
    label: String,
    description: String,
) -> ConnectorAction {
    let mut params = Vec::new();
    let mut bindings = Vec::new();
    let own: Vec<&Doc> = op
        .get("parameters")
        .and_then(Doc::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut seen = HashSet::new();
    for p in own.iter().chain(common.iter()) {
        let Some((p, _)) = ctx.resolve(p) else {
            continue;
        };
        let (pname, loc) = (s(p, "name"), s(p, "in"));
        if pname.is_empty() || !seen.insert((pname.to_string(), loc.to_string())) {
            continue;
        }
        let location = match loc {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            "formData" => ParamLocation::FormData,
            "body" => ParamLocation::Body,
            _ => continue,
        };
        let required = truthy(p.get("required")) || location == ParamLocation::Path;
        if location == ParamLocation::Body {
            let schema = p.get("schema").unwrap_or(&NULL);
            flatten_body(
                ctx,
                schema,
                "body",
                "",
                p,
                required,
                0,
                &mut Vec::new(),
                &mut params,
                &mut bindings,
            );
            continue;
        }
        push_field(
            p,
            p,
            pname.to_string(),
            pname.to_string(),
            location,
            required,
            &mut params,
            &mut bindings,
        );
    }
    let output = ["200", "201", "202", "default"]
        .iter()
        .filter_map(|code| op.get("responses")?.get(code))
        .find_map(|r| {
            let schema = r.get("schema")?;
            let mut budget = MAX_SCHEMA_NODES;
            Some(to_schema(ctx, schema, 0, &mut Vec::new(), &mut budget))
        });
    let outputs = if output.is_some() {
        vec![Output {
            name: "body".into(),
            default_var: "Response".into(),
            description: String::new(),
        }]
    } else {
        Vec::new()
    };
    ConnectorAction {
        visibility: visibility(op),
        deprecated: truthy(op.get("deprecated")),
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        def: ActionDef {
            id: op_id.clone(),
            name: label,
            category: connector_name.to_string(),
            description,
            params,
            outputs,
            shape: Default::default(),
        },
        operation_id: op_id,
        bindings,
        consumes: media_types(op.get("consumes")),
        output,
    }
}

/// A parameter (or schema property) `p` with type information in `t`.
#[allow(clippy::too_many_arguments)]
fn push_field(
    p: &Doc,
    t: &Doc,
    name: String,
    api_name: String,
    location: ParamLocation,
    required: bool,
    params: &mut Vec<Param>,
    bindings: &mut Vec<ParamBinding>,
) {
    let ty = s(t, "type");
    let format = s(t, "format");
    let vis = match visibility(p) {
        ApiVisibility::Normal => visibility(t),
        v => v,
    };
    let default = p.get("default").or_else(|| t.get("default"));
    let dynamic_values = p
        .get("x-ms-dynamic-values")
        .or_else(|| t.get("x-ms-dynamic-values"))
        .or_else(|| p.get("x-ms-dynamic-list"))
        .map(Doc::to_value);
    let label = [s(p, "x-ms-summary"), s(t, "x-ms-summary"), s(t, "title")]
        .into_iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| name.rsplit('/').next().unwrap_or(&name).to_string());
    let description = match s(p, "description") {
        "" => s(t, "description"),
        d => d,
    };
    if vis != ApiVisibility::Internal {
        let param_ty = match (ty, t.get("enum").and_then(Doc::as_array)) {
            (_, Some(options)) if !options.is_empty() => ParamType::Enum {
                options: options.iter().map(Doc::scalar_text).collect(),
            },
            ("integer" | "number", _) => ParamType::Number,
            ("boolean", _) => ParamType::Boolean,
            ("array", _) => ParamType::List,
            ("object", _) => ParamType::Object,
            _ => ParamType::Text {
                multiline: format == "html" || t.get("x-ms-editor").is_some(),
            },
        };
        params.push(Param {
            name: name.clone(),
            label,
            ty: param_ty,
            required,
            default: default.map(Doc::scalar_text),
            visibility: if vis == ApiVisibility::Advanced {
                Visibility::Advanced
            } else {
                Visibility::Important
            },
            description: description.to_string(),
        });
    }
    bindings.push(ParamBinding {
        name,
        location,
        api_name,
        ty: ty.to_string(),
        format: format.to_string(),
        visibility: vis,
        default: default.map(Doc::to_value),
        dynamic_values,
        url_encoding: match s(p, "x-ms-url-encoding") {
            "double" => UrlEncoding::Double,
            _ => UrlEncoding::Single,
        },
    });
}

/// A `consumes` list (non-text entries skipped).
fn media_types(v: Option<&Doc>) -> Vec<String> {
    v.and_then(Doc::as_array)
        .map(|a| a.iter().filter_map(Doc::as_str).map(String::from).collect())
        .unwrap_or_default()
}

/// Turn a body schema into fields `body/a/b`, following `$ref`s with a bounded depth.
#[allow(clippy::too_many_arguments)]
fn flatten_body<'a>(
    ctx: &Ctx<'a>,
    schema: &'a Doc<'a>,
    name: &str,
    api_name: &str,
    holder: &Doc,
    required: bool,
    depth: usize,
    stack: &mut Vec<&'a str>,
    params: &mut Vec<Param>,
    bindings: &mut Vec<ParamBinding>,
) {
    let Some((t, r)) = ctx.resolve(schema) else {
        push_field(
            holder,
            &NULL,
            name.into(),
            api_name.into(),
            ParamLocation::Body,
            required,
            params,
            bindings,
        );
        return;
    };
    let cyclic = r.is_some_and(|r| stack.contains(&r));
    let props = t.get("properties").and_then(Doc::as_object);
    match props {
        Some(props) if depth < MAX_FIELD_DEPTH && !cyclic && !props.is_empty() => {
            if let Some(r) = r {
                stack.push(r);
            }
            let req: HashSet<&str> = t
                .get("required")
                .and_then(Doc::as_array)
                .map(|a| a.iter().filter_map(Doc::as_str).collect())
                .unwrap_or_default();
            for (k, v) in props {
                let child_api = if api_name.is_empty() {
                    k.to_string()
                } else {
                    format!("{api_name}/{k}")
                };
                flatten_body(
                    ctx,
                    v,
                    &format!("{name}/{k}"),
                    &child_api,
                    v,
                    required && req.contains(k),
                    depth + 1,
                    stack,
                    params,
                    bindings,
                );
            }
            if r.is_some() {
                stack.pop();
            }
        }
        _ => {
            let holder = if depth == 0 { holder } else { schema };
            push_field(
                holder,
                t,
                name.into(),
                api_name.into(),
                ParamLocation::Body,
                required,
                params,
                bindings,
            );
        }
    }
}

fn to_schema<'a>(
    ctx: &Ctx<'a>,
    v: &'a Doc<'a>,
    depth: usize,
    stack: &mut Vec<&'a str>,
    budget: &mut usize,
) -> Schema {
    *budget = budget.saturating_sub(1);
    let (t, r) = ctx.resolve(v).unwrap_or((&NULL, None));
    let mut out = Schema {
        ty: s(t, "type").to_string(),
        format: s(t, "format").to_string(),
        label: match s(v, "x-ms-summary") {
            "" => s(t, "x-ms-summary").to_string(),
            l => l.to_string(),
        },
        description: s(t, "description").to_string(),
        properties: BTreeMap::new(),
        items: None,
    };
    let cyclic = r.is_some_and(|r| stack.contains(&r));
    if depth >= MAX_SCHEMA_DEPTH || cyclic || *budget == 0 {
        return out;
    }
    if let Some(r) = r {
        stack.push(r);
    }
    if let Some(props) = t.get("properties").and_then(Doc::as_object) {
        if out.ty.is_empty() {
            out.ty = "object".into();
        }
        for (k, pv) in props {
            if *budget == 0 {
                break;
            }
            out.properties
                .insert(k.to_string(), to_schema(ctx, pv, depth + 1, stack, budget));
        }
    }
    if let Some(items) = t.get("items") {
        if *budget > 0 {
            out.items = Some(Box::new(to_schema(ctx, items, depth + 1, stack, budget)));
        }
    }
    if r.is_some() {
        stack.pop();
    }
    out
}

/// The ways to connect, from `connectionParameterSets` or `connectionParameters`.
fn connection_sets(props: &Doc, security: Option<&Object>) -> Vec<ConnectionParameterSet> {
    let has_basic = security
        .into_iter()
        .flat_map(Object::values)
        .any(|d| s(d, "type") == "basic");
    if let Some(sets) = props
        .get("connectionParameterSets")
        .and_then(|s| s.get("values"))
        .and_then(Doc::as_array)
    {
        let out: Vec<_> = sets
            .iter()
            .filter_map(|set| {
                let name = s(set, "name");
                if name.is_empty() {
                    return None;
                }
                let ui = set.get("uiDefinition").unwrap_or(&NULL);
                let params = connection_params(set.get("parameters"));
                Some(ConnectionParameterSet {
                    name: name.to_string(),
                    display_name: match s(ui, "displayName") {
                        "" => name.to_string(),
                        d => d.to_string(),
                    },
                    description: s(ui, "description").to_string(),
                    auth: declared_auth(set).unwrap_or_else(|| set_auth(&params, has_basic)),
                    parameters: params,
                })
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    let params = connection_params(props.get("connectionParameters"));
    let auth = set_auth(&params, has_basic);
    vec![ConnectionParameterSet {
        name: "default".into(),
        display_name: match auth {
            AuthKind::None => "No authentication",
            AuthKind::ApiKey => "API key",
            AuthKind::Basic => "Basic authentication",
            AuthKind::Bearer => "Bearer token",
            AuthKind::Oauth2 => "OAuth 2.0 sign-in",
        }
        .into(),
        description: String::new(),
        auth,
        parameters: params,
    }]
}

/// Our extension: a parameter set may name its auth kind in `metadata.authKind`.
fn declared_auth(set: &Doc) -> Option<AuthKind> {
    let kind = set.get("metadata")?.get("authKind")?.to_value();
    serde_json::from_value(kind).ok()
}

fn set_auth(params: &[ConnectionParameter], has_basic: bool) -> AuthKind {
    if params
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::Oauth)
    {
        AuthKind::Oauth2
    } else if has_basic
        && params
            .iter()
            .any(|p| p.kind == ConnectionParameterKind::SecureString)
    {
        AuthKind::Basic
    } else if params
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::SecureString)
    {
        AuthKind::ApiKey
    } else {
        AuthKind::None
    }
}

/// The fields of a way to connect, in the order the connection form shows them: by
/// `uiDefinition.constraints.tabIndex` where given (as Power Platform does), then by name.
fn connection_params(v: Option<&Doc>) -> Vec<ConnectionParameter> {
    let Some(map) = v.and_then(Doc::as_object) else {
        return Vec::new();
    };
    let tab_index = |p: &Doc| {
        p.get("uiDefinition")
            .and_then(|ui| ui.get("constraints"))
            .and_then(|c| c.get("tabIndex"))
            .and_then(|t| t.scalar_text().parse::<i64>().ok())
            .unwrap_or(i64::MAX)
    };
    let mut members: Vec<(&str, &Doc)> = map.into_iter().collect();
    // Stable: fields without a tab index (or with the same one) stay in name order.
    members.sort_by_key(|(_, p)| tab_index(p));
    members
        .into_iter()
        .map(|(name, p)| {
            let ui = p.get("uiDefinition").unwrap_or(&NULL);
            let c = ui.get("constraints").unwrap_or(&NULL);
            let kind = match s(p, "type").to_ascii_lowercase().as_str() {
                "string" => ConnectionParameterKind::String,
                "securestring" => ConnectionParameterKind::SecureString,
                "int" => ConnectionParameterKind::Int,
                "bool" => ConnectionParameterKind::Bool,
                "oauthsetting" => ConnectionParameterKind::Oauth,
                _ => ConnectionParameterKind::Unsupported,
            };
            let oauth = (kind == ConnectionParameterKind::Oauth).then(|| oauth_settings(p));
            ConnectionParameter {
                name: name.to_string(),
                kind,
                display_name: match s(ui, "displayName") {
                    "" => name.to_string(),
                    d => d.to_string(),
                },
                description: s(ui, "description").to_string(),
                required: truthy(c.get("required")),
                hidden: truthy(c.get("hidden")),
                default: p.get("defaultValue").map(Doc::scalar_text),
                allowed_values: c
                    .get("allowedValues")
                    .and_then(Doc::as_array)
                    .map(|a| a.iter().map(|v| s(v, "value").to_string()).collect())
                    .unwrap_or_default(),
                oauth,
            }
        })
        .collect()
}

fn oauth_settings(p: &Doc) -> OAuthSettings {
    let o = p
        .get("oAuthSettings")
        .or_else(|| p.get("oauthSettings"))
        .unwrap_or(&NULL);
    let custom = o.get("customParameters").unwrap_or(&NULL);
    let pick = |keys: &[&str]| -> String {
        keys.iter()
            .map(|k| s(custom.get(k).unwrap_or(&NULL), "value"))
            .find(|v| !v.is_empty())
            .unwrap_or("")
            .to_string()
    };
    let mut settings = OAuthSettings {
        identity_provider: s(o, "identityProvider").to_string(),
        authorization_url: pick(&["authorizationUrl", "authorizationUrlTemplate"]),
        token_url: pick(&["tokenUrl", "tokenUrlTemplate"]),
        refresh_url: pick(&["refreshUrl", "refreshUrlTemplate"]),
        scopes: o
            .get("scopes")
            .and_then(Doc::as_array)
            .map(|a| a.iter().filter_map(Doc::as_str).map(String::from).collect())
            .unwrap_or_default(),
    };
    if settings.identity_provider.starts_with("aad") && settings.authorization_url.is_empty() {
        let login = match s(custom.get("LoginUri").unwrap_or(&NULL), "value") {
            "" => "https://login.microsoftonline.com",
            l => l,
        };
        let tenant = match s(custom.get("TenantId").unwrap_or(&NULL), "value") {
            "" => "common",
            t => t,
        };
        settings.authorization_url = format!("{login}/{tenant}/oauth2/v2.0/authorize");
        settings.token_url = format!("{login}/{tenant}/oauth2/v2.0/token");
        settings.refresh_url = settings.token_url.clone();
    }
    settings
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
