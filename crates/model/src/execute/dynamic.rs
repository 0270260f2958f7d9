//! Dynamic values of a parameter (`x-ms-dynamic-values`, and `x-ms-dynamic-list`): the operation
//! that lists them, its parameters filled from the step's other inputs, and the options read
//! from its answer by value path and title path. The dialog's dropdown executes the request this
//! builds through the same execute endpoint, with the step's reference.

use super::ExecuteRequest;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where one parameter of the listing operation gets its value.
#[derive(Clone, Debug, PartialEq)]
pub enum Argument {
    /// The step's input of that name (`{"parameter": "x"}`, `{"parameterReference": "x"}`).
    Input(String),
    /// A fixed value (`{"value": …}` or a bare scalar).
    Fixed(Value),
}

/// A parsed `x-ms-dynamic-values` / `x-ms-dynamic-list`.
#[derive(Clone, Debug, PartialEq)]
pub struct DynamicValues {
    pub operation_id: String,
    pub parameters: Vec<(String, Argument)>,
    /// `/`-separated path to the list in the answer; empty: the answer is the list.
    pub collection: String,
    /// Path of each option's value (empty: the item itself).
    pub value_path: String,
    /// Path of each option's title (empty: the value).
    pub title_path: String,
}

/// One option of the dropdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamicOption {
    pub value: String,
    pub title: String,
}

/// The most options kept from one answer (a dropdown is no place for more).
pub const MAX_OPTIONS: usize = 1000;

impl DynamicValues {
    /// Read either extension's shape; the error names the missing member.
    pub fn parse(v: &Value) -> Result<Self, String> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").trim();
        let operation_id = s("operationId");
        if operation_id.is_empty() {
            return Err("operationId: missing".into());
        }
        let mut parameters = Vec::new();
        if let Some(ps) = v.get("parameters").and_then(Value::as_object) {
            for (name, arg) in ps {
                let from = arg
                    .get("parameter")
                    .or_else(|| arg.get("parameterReference"))
                    .and_then(Value::as_str);
                let a = match (from, arg) {
                    (Some(p), _) => Argument::Input(p.to_string()),
                    (None, Value::Object(o)) => match o.get("value") {
                        Some(v) => Argument::Fixed(v.clone()),
                        None => return Err(format!("parameters.{name}: no parameter or value")),
                    },
                    (None, other) => Argument::Fixed(other.clone()),
                };
                parameters.push((name.clone(), a));
            }
        }
        let first = |keys: &[&str]| {
            keys.iter()
                .map(|k| s(k))
                .find(|x| !x.is_empty())
                .unwrap_or("")
                .to_string()
        };
        Ok(DynamicValues {
            operation_id: operation_id.to_string(),
            parameters,
            collection: first(&["value-collection", "itemsPath"]),
            value_path: first(&["value-path", "itemValuePath"]),
            title_path: first(&["value-title", "itemTitlePath"]),
        })
    }

    /// The execute request that lists the options, for a step of `connector_id` bound to
    /// `reference`, whose inputs so far are `inputs`. An input it needs that is still empty is
    /// named in the error ("fill in X first").
    pub fn request(
        &self,
        connector_id: &str,
        reference: Option<&str>,
        inputs: &BTreeMap<String, Value>,
    ) -> Result<ExecuteRequest, String> {
        let mut out = BTreeMap::new();
        for (name, arg) in &self.parameters {
            let v = match arg {
                Argument::Fixed(v) => v.clone(),
                Argument::Input(from) => match inputs.get(from) {
                    Some(v) if !v.is_null() && v.as_str() != Some("") => v.clone(),
                    _ => return Err(format!("fill in `{from}` first")),
                },
            };
            out.insert(name.clone(), v);
        }
        Ok(ExecuteRequest {
            reference: reference.map(str::to_string),
            connector_id: connector_id.to_string(),
            operation_id: self.operation_id.clone(),
            inputs: out,
        })
    }

    /// The options in the listing operation's answer `body` (the `body` of its result).
    pub fn options(&self, body: &Value) -> Result<Vec<DynamicOption>, String> {
        let list = at(body, &self.collection)
            .and_then(Value::as_array)
            .ok_or_else(|| match self.collection.as_str() {
                "" => "the answer is not a list".to_string(),
                c => format!("the answer has no list at `{c}`"),
            })?;
        let text = |v: Option<&Value>| v.and_then(super::inputs::scalar_text);
        Ok(list
            .iter()
            .take(MAX_OPTIONS)
            .filter_map(|item| {
                let value = text(at(item, &self.value_path))?;
                let title =
                    text(at(item, &self.title_path).filter(|_| !self.title_path.is_empty()))
                        .unwrap_or_else(|| value.clone());
                Some(DynamicOption { value, title })
            })
            .collect())
    }
}

/// The value at a `/`-separated path (`a/b/0`); the empty path is `v` itself.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('/')
        .filter(|p| !p.is_empty())
        .try_fold(v, |v, key| match v {
            Value::Array(a) => a.get(key.parse::<usize>().ok()?),
            _ => v.get(key),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dynamic_values_build_the_request_and_read_the_options() {
        let d = DynamicValues::parse(&json!({
            "operationId": "ListQueues", "value-collection": "data/value",
            "value-path": "id", "value-title": "name",
            "parameters": {"project": {"parameter": "project"}, "active": {"value": true}, "top": 50}
        }))
        .unwrap();
        let inputs = BTreeMap::from([("project".to_string(), json!("p1"))]);
        let r = d.request("contoso", Some("pb_c_0001"), &inputs).unwrap();
        assert_eq!(r.operation_id, "ListQueues");
        assert_eq!(r.reference.as_deref(), Some("pb_c_0001"));
        assert_eq!(
            serde_json::to_value(&r.inputs).unwrap(),
            json!({"project": "p1", "active": true, "top": 50})
        );
        assert_eq!(
            d.request("contoso", None, &BTreeMap::new()).unwrap_err(),
            "fill in `project` first"
        );
        let body = json!({"data": {"value": [
            {"id": "q1", "name": "Support"}, {"id": 2}, {"name": "no id"}
        ]}});
        assert_eq!(
            d.options(&body).unwrap(),
            vec![
                DynamicOption {
                    value: "q1".into(),
                    title: "Support".into()
                },
                DynamicOption {
                    value: "2".into(),
                    title: "2".into()
                },
            ]
        );
        assert_eq!(
            d.options(&json!({})).unwrap_err(),
            "the answer has no list at `data/value`"
        );
    }

    #[test]
    fn dynamic_lists_use_their_own_names() {
        let d = DynamicValues::parse(&json!({
            "operationId": "GetTables", "itemsPath": "value", "itemValuePath": "Name",
            "itemTitlePath": "DisplayName",
            "parameters": {"dataset": {"parameterReference": "dataset"}}
        }))
        .unwrap();
        assert_eq!(
            d.parameters,
            vec![("dataset".into(), Argument::Input("dataset".into()))]
        );
        let opts = d
            .options(&json!({"value": [{"Name": "t1", "DisplayName": "Table 1"}]}))
            .unwrap();
        assert_eq!(opts[0].title, "Table 1");
        assert!(DynamicValues::parse(&json!({"value-path": "x"})).is_err());
        let bare = DynamicValues::parse(&json!({"operationId": "L"})).unwrap();
        assert_eq!(bare.options(&json!(["a", "b"])).unwrap().len(), 2);
    }
}
