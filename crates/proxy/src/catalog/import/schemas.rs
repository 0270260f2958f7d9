//! Local `$ref`s resolved, body schemas flattened into `body/a/b` fields, and response schemas
//! kept as bounded trees (depth and node budgets).

use super::actions::push_field;
use super::s;
use crate::catalog::doc::{Doc, Object, NULL};
use plugboard_model::catalog::Param;
use plugboard_model::connector::{ParamBinding, ParamLocation, Schema};
use std::collections::{BTreeMap, HashSet};

/// How deep body schemas are flattened into fields.
const MAX_FIELD_DEPTH: usize = 3;
/// How deep response schemas are followed, and how many nodes one may have.
const MAX_SCHEMA_DEPTH: usize = 6;
pub(super) const MAX_SCHEMA_NODES: usize = 400;

/// The definition's `definitions` and `parameters` tables, that local `$ref`s point into.
pub(super) struct Ctx<'a> {
    pub(super) definitions: Option<&'a Object<'a>>,
    pub(super) parameters: Option<&'a Object<'a>>,
}

impl<'a> Ctx<'a> {
    /// Follow a local `$ref` (`#/definitions/X`, `#/parameters/X`), if any; `None` if dangling.
    pub(super) fn resolve(&self, v: &'a Doc<'a>) -> Option<(&'a Doc<'a>, Option<&'a str>)> {
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

/// Turn a body schema into fields `body/a/b`, following `$ref`s with a bounded depth.
#[allow(clippy::too_many_arguments)]
pub(super) fn flatten_body<'a>(
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
    // A dangling `$ref` is a field of unknown type; an object within the depth bound is
    // flattened into its properties; anything else is one field.
    let (leaf_holder, leaf) = match ctx.resolve(schema) {
        None => (holder, &NULL),
        Some((t, r)) => {
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
                    return;
                }
                _ => (if depth == 0 { holder } else { schema }, t),
            }
        }
    };
    push_field(
        leaf_holder,
        leaf,
        name.into(),
        api_name.into(),
        ParamLocation::Body,
        required,
        params,
        bindings,
    );
}

pub(super) fn to_schema<'a>(
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
