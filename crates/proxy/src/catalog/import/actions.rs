//! A definition's operations as actions: label, description, visibility, parameters as fields
//! (path, query, header, body, formData), and the output shape.

use super::schemas::{flatten_body, to_schema, Ctx, MAX_SCHEMA_NODES};
use super::{s, truthy};
use crate::catalog::doc::{Doc, NULL};
use plugboard_model::catalog::{ActionDef, Output, Param, ParamType, Visibility};
use plugboard_model::connector::{
    ApiVisibility, ConnectorAction, ParamBinding, ParamLocation, UrlEncoding,
};
use std::collections::HashSet;

pub(super) fn visibility(v: &Doc) -> ApiVisibility {
    match s(v, "x-ms-visibility") {
        "important" => ApiVisibility::Important,
        "advanced" => ApiVisibility::Advanced,
        "internal" => ApiVisibility::Internal,
        _ => ApiVisibility::Normal,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn convert_action(
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
pub(super) fn push_field(
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
pub(super) fn media_types(v: Option<&Doc>) -> Vec<String> {
    v.and_then(Doc::as_array)
        .map(|a| a.iter().filter_map(Doc::as_str).map(String::from).collect())
        .unwrap_or_default()
}
