//! The standard action library, named as Power Automate for desktop names its actions.

use crate::catalog::{ActionDef, Catalog, Category, Output, Param, ParamType, Shape, Visibility};

fn text(name: &str, label: &str) -> Param {
    Param {
        name: name.into(),
        label: label.into(),
        ty: ParamType::Text { multiline: false },
        required: true,
        default: None,
        visibility: Visibility::Important,
        description: String::new(),
    }
}

fn multiline(name: &str, label: &str) -> Param {
    Param {
        ty: ParamType::Text { multiline: true },
        ..text(name, label)
    }
}

fn number(name: &str, label: &str) -> Param {
    Param {
        ty: ParamType::Number,
        ..text(name, label)
    }
}

fn boolean(name: &str, label: &str, default: bool) -> Param {
    Param {
        ty: ParamType::Boolean,
        required: false,
        default: Some(if default { "True" } else { "False" }.into()),
        ..text(name, label)
    }
}

fn choice(name: &str, label: &str, options: &[&str]) -> Param {
    Param {
        ty: ParamType::Enum {
            options: options.iter().map(|s| s.to_string()).collect(),
        },
        default: options.first().map(|s| s.to_string()),
        ..text(name, label)
    }
}

fn variable(name: &str, label: &str) -> Param {
    Param {
        ty: ParamType::VariableName,
        ..text(name, label)
    }
}

fn list(name: &str, label: &str) -> Param {
    Param {
        ty: ParamType::List,
        ..text(name, label)
    }
}

trait ParamExt {
    fn optional(self) -> Self;
    fn advanced(self) -> Self;
    fn default(self, v: &str) -> Self;
    fn help(self, d: &str) -> Self;
}

impl ParamExt for Param {
    fn optional(mut self) -> Self {
        self.required = false;
        self
    }
    fn advanced(mut self) -> Self {
        self.visibility = Visibility::Advanced;
        self.required = false;
        self
    }
    fn default(mut self, v: &str) -> Self {
        self.default = Some(v.into());
        self
    }
    fn help(mut self, d: &str) -> Self {
        self.description = d.into();
        self
    }
}

fn out(name: &str, var: &str) -> Output {
    Output {
        name: name.into(),
        default_var: var.into(),
        description: String::new(),
    }
}

struct B(ActionDef);

impl B {
    fn params(mut self, p: Vec<Param>) -> Self {
        self.0.params = p;
        self
    }
    fn outputs(mut self, o: Vec<Output>) -> Self {
        self.0.outputs = o;
        self
    }
    fn block(mut self) -> Self {
        self.0.shape = Shape::Block { is_loop: false };
        self
    }
    fn looping(mut self) -> Self {
        self.0.shape = Shape::Block { is_loop: true };
        self
    }
    fn clause(mut self, of: &str) -> Self {
        self.0.shape = Shape::Clause { of: of.into() };
        self
    }
}

fn action(id: &str, name: &str, category: &str, description: &str) -> B {
    B(ActionDef {
        id: id.into(),
        name: name.into(),
        category: category.into(),
        description: description.into(),
        params: Vec::new(),
        outputs: Vec::new(),
        shape: Shape::Plain,
    })
}

const OPERATORS: &[&str] = &[
    "Equal to (=)",
    "Not equal to (<>)",
    "Greater than (>)",
    "Greater than or equal to (>=)",
    "Less than (<)",
    "Less than or equal to (<=)",
    "Contains",
    "Does not contain",
    "Is empty",
    "Is not empty",
    "Starts with",
    "Ends with",
];

/// Action ids of the block actions the flow checker and the runtime treat specially.
pub mod ids {
    pub const IF: &str = "conditionals.if";
    pub const ELSE_IF: &str = "conditionals.else_if";
    pub const ELSE: &str = "conditionals.else";
    pub const SWITCH: &str = "conditionals.switch";
    pub const CASE: &str = "conditionals.case";
    pub const DEFAULT_CASE: &str = "conditionals.default_case";
    pub const EXIT_LOOP: &str = "loops.exit";
    pub const NEXT_LOOP: &str = "loops.next";
    pub const SET_VARIABLE: &str = "variables.set";
}

/// Every standard action, grouped by category in library order.
pub fn standard_actions() -> Vec<ActionDef> {
    let cond = || {
        vec![
            text("first", "First operand"),
            choice("operator", "Operator", OPERATORS),
            text("second", "Second operand").optional(),
        ]
    };
    let v = "Variables";
    let c = "Conditionals";
    let l = "Loops";
    let f = "Flow control";
    let t = "Text";
    let d = "Date time";
    let da = "Data";
    let h = "HTTP";
    let m = "Message boxes";
    let units = &["Seconds", "Minutes", "Hours", "Days", "Months", "Years"];
    vec![
        // Variables
        action(
            "variables.set",
            "Set variable",
            v,
            "Sets the value of a new or existing variable",
        )
        .params(vec![
            text("value", "Value").help("The value to assign, e.g. 5 or %OtherVar%")
        ])
        .outputs(vec![out("variable", "NewVar")]),
        action(
            "variables.increase",
            "Increase variable",
            v,
            "Increases a variable by a number",
        )
        .params(vec![
            variable("variable", "Variable name"),
            number("amount", "Increase by").default("1"),
        ]),
        action(
            "variables.decrease",
            "Decrease variable",
            v,
            "Decreases a variable by a number",
        )
        .params(vec![
            variable("variable", "Variable name"),
            number("amount", "Decrease by").default("1"),
        ]),
        action(
            "variables.truncate",
            "Truncate number",
            v,
            "Gets the integer or fractional part of a number, or rounds it",
        )
        .params(vec![
            number("number", "Number to truncate"),
            choice(
                "operation",
                "Operation",
                &["Get integer part", "Get decimal part", "Round number"],
            ),
            number("decimals", "Decimal places").advanced().default("0"),
        ])
        .outputs(vec![out("result", "TruncatedValue")]),
        action(
            "variables.random",
            "Generate random number",
            v,
            "Generates a random number in a range",
        )
        .params(vec![
            number("min", "Minimum value").default("0"),
            number("max", "Maximum value").default("100"),
            boolean("multiple", "Generate multiple numbers", false).advanced(),
            number("count", "How many numbers").advanced().default("1"),
        ])
        .outputs(vec![out("result", "RandomNumber")]),
        // Conditionals
        action(
            ids::IF,
            "If",
            c,
            "Marks the beginning of a block of actions that run if a condition is met",
        )
        .params(cond())
        .block(),
        action(
            ids::ELSE_IF,
            "Else if",
            c,
            "Runs the following actions if the previous conditions were not met and this one is",
        )
        .params(cond())
        .clause(ids::IF),
        action(
            ids::ELSE,
            "Else",
            c,
            "Runs the following actions if no previous condition of the If was met",
        )
        .clause(ids::IF),
        action(
            ids::SWITCH,
            "Switch",
            c,
            "Runs the first Case whose condition matches the value to check",
        )
        .params(vec![text("value", "Value to check")])
        .block(),
        action(ids::CASE, "Case", c, "A branch of a Switch")
            .params(vec![
                choice("operator", "Operator", OPERATORS),
                text("value", "Value to compare"),
            ])
            .clause(ids::SWITCH),
        action(
            ids::DEFAULT_CASE,
            "Default case",
            c,
            "Runs when no Case of the Switch matched",
        )
        .clause(ids::SWITCH),
        // Loops
        action(
            "loops.loop",
            "Loop",
            l,
            "Repeats a block of actions a number of times",
        )
        .params(vec![
            number("start", "Start from").default("1"),
            number("end", "End to"),
            number("step", "Increment by").default("1"),
        ])
        .outputs(vec![out("index", "LoopIndex")])
        .looping(),
        action(
            "loops.condition",
            "Loop condition",
            l,
            "Repeats a block of actions while a condition is true",
        )
        .params(cond())
        .looping(),
        action(
            "loops.for_each",
            "For each",
            l,
            "Repeats a block of actions for each item of a list",
        )
        .params(vec![
            text("list", "Value to iterate").help("A list, e.g. %List%")
        ])
        .outputs(vec![out("item", "CurrentItem")])
        .looping(),
        action(ids::EXIT_LOOP, "Exit loop", l, "Leaves the innermost loop"),
        action(
            ids::NEXT_LOOP,
            "Next loop",
            l,
            "Goes on with the next iteration of the innermost loop",
        ),
        // Flow control
        action(
            "flow.comment",
            "Comment",
            f,
            "A note in the flow; does nothing",
        )
        .params(vec![multiline("comment", "Comment").optional()]),
        action(
            "flow.wait",
            "Wait",
            f,
            "Pauses the flow for a number of seconds",
        )
        .params(vec![number("seconds", "Duration (seconds)")]),
        action(
            "flow.label",
            "Label",
            f,
            "Marks a point in the flow that Go to can jump to",
        )
        .params(vec![text("name", "Label name")]),
        action("flow.goto", "Go to", f, "Jumps to a label")
            .params(vec![text("label", "Go to label")]),
        action(
            "flow.run_subflow",
            "Run subflow",
            f,
            "Runs a subflow and comes back",
        )
        .params(vec![text("subflow", "Call subflow")]),
        action("flow.stop", "Stop flow", f, "Stops the flow").params(vec![
            choice("end", "End flow", &["Successfully", "With error message"]),
            text("message", "Error message").advanced(),
        ]),
        action(
            "flow.on_block_error",
            "On block error",
            f,
            "Handles errors raised by the actions inside the block",
        )
        .params(vec![
            text("name", "Name").optional(),
            choice("then", "On error", &["Continue flow run", "Throw error"]).advanced(),
        ])
        .block(),
        // Text
        action(
            "text.append_line",
            "Append line to text",
            t,
            "Appends a line of text to a text value",
        )
        .params(vec![
            text("text", "Original text").optional(),
            text("line", "Line to append"),
        ])
        .outputs(vec![out("result", "Result")]),
        action(
            "text.split",
            "Split text",
            t,
            "Splits a text into a list by a delimiter",
        )
        .params(vec![
            text("text", "Text to split"),
            choice("delimiter_type", "Delimiter type", &["Standard", "Custom"]),
            text("delimiter", "Custom delimiter")
                .optional()
                .default(","),
            boolean("is_regex", "Is regular expression", false).advanced(),
        ])
        .outputs(vec![out("result", "TextList")]),
        action(
            "text.join",
            "Join text",
            t,
            "Joins the items of a list into one text",
        )
        .params(vec![
            list("list", "Specify list to join"),
            text("delimiter", "Delimiter").optional().default(","),
        ])
        .outputs(vec![out("result", "JoinedText")]),
        action(
            "text.replace",
            "Replace text",
            t,
            "Replaces occurrences of a text with another",
        )
        .params(vec![
            text("text", "Text to parse"),
            text("find", "Text to find"),
            text("replace", "Replace with").optional(),
            boolean("ignore_case", "Ignore case", false).advanced(),
            boolean(
                "is_regex",
                "Use regular expressions for find and replace",
                false,
            )
            .advanced(),
        ])
        .outputs(vec![out("result", "Replaced")]),
        action(
            "text.trim",
            "Trim text",
            t,
            "Removes whitespace at the start, the end, or both",
        )
        .params(vec![
            text("text", "Text to trim"),
            choice(
                "what",
                "What to trim",
                &[
                    "Whitespace characters from the beginning and end",
                    "Whitespace characters from the beginning",
                    "Whitespace characters from the end",
                ],
            ),
        ])
        .outputs(vec![out("result", "TrimmedText")]),
        action(
            "text.change_case",
            "Change text case",
            t,
            "Changes a text to upper, lower, title or sentence case",
        )
        .params(vec![
            text("text", "Text to convert"),
            choice(
                "case",
                "Convert to",
                &["Upper case", "Lower case", "Title case", "Sentence case"],
            ),
        ])
        .outputs(vec![out("result", "TextWithChangedCase")]),
        action("text.subtext", "Get subtext", t, "Gets part of a text")
            .params(vec![
                text("text", "Original text"),
                number("start", "Character position").default("0"),
                number("length", "Number of characters").optional(),
            ])
            .outputs(vec![out("result", "Subtext")]),
        action(
            "text.parse",
            "Parse text",
            t,
            "Finds a text or a regular expression in a text",
        )
        .params(vec![
            text("text", "Text to parse"),
            text("find", "Text to find"),
            boolean("is_regex", "Is regular expression", false),
            boolean("first_only", "First occurrence only", true).advanced(),
            boolean("ignore_case", "Ignore case", false).advanced(),
        ])
        .outputs(vec![out("position", "Position"), out("match", "Match")]),
        action(
            "text.to_number",
            "Convert text to number",
            t,
            "Converts a text to a number",
        )
        .params(vec![text("text", "Text to convert")])
        .outputs(vec![out("result", "TextAsNumber")]),
        action(
            "text.from_number",
            "Convert number to text",
            t,
            "Converts a number to a text with a number of decimals",
        )
        .params(vec![
            number("number", "Number to convert"),
            number("decimals", "Decimal places").optional().default("2"),
            boolean("separators", "Use digit grouping separators", false).advanced(),
        ])
        .outputs(vec![out("result", "FormattedNumber")]),
        // Date time
        action(
            "datetime.now",
            "Get current date and time",
            d,
            "Gets the current date and time",
        )
        .params(vec![choice(
            "retrieve",
            "Retrieve",
            &["Current date and time", "Current date only"],
        )])
        .outputs(vec![out("result", "CurrentDateTime")]),
        action(
            "datetime.add",
            "Add to datetime",
            d,
            "Adds a number of time units to a datetime",
        )
        .params(vec![
            text("datetime", "Datetime"),
            number("amount", "Add"),
            choice("unit", "Time unit", units),
        ])
        .outputs(vec![out("result", "ResultedDate")]),
        action(
            "datetime.subtract",
            "Subtract dates",
            d,
            "Gets the difference between two dates",
        )
        .params(vec![
            text("from", "From date"),
            text("subtract", "Subtract date"),
            choice(
                "unit",
                "Get difference in",
                &["Days", "Hours", "Minutes", "Seconds"],
            ),
        ])
        .outputs(vec![out("result", "TimeDifference")]),
        action(
            "datetime.to_text",
            "Convert datetime to text",
            d,
            "Formats a datetime as text",
        )
        .params(vec![
            text("datetime", "Datetime to convert"),
            choice(
                "format",
                "Format",
                &[
                    "Short date",
                    "Long date",
                    "Short time",
                    "Long time",
                    "Full date time",
                    "Sortable date time",
                    "Custom",
                ],
            ),
            text("custom", "Custom format")
                .advanced()
                .default("yyyy-MM-dd"),
        ])
        .outputs(vec![out("result", "FormattedDateTime")]),
        // Data
        action(
            "data.json_to_object",
            "Convert JSON to custom object",
            da,
            "Parses a JSON text into a custom object",
        )
        .params(vec![multiline("json", "JSON")])
        .outputs(vec![out("result", "JsonAsCustomObject")]),
        action(
            "data.object_to_json",
            "Convert custom object to JSON",
            da,
            "Serializes a custom object as JSON text",
        )
        .params(vec![text("object", "Custom object")])
        .outputs(vec![out("result", "CustomObjectAsJson")]),
        action(
            "data.new_list",
            "Create new list",
            da,
            "Creates an empty list",
        )
        .outputs(vec![out("list", "List")]),
        action(
            "data.add_to_list",
            "Add item to list",
            da,
            "Adds an item to a list",
        )
        .params(vec![
            text("item", "Add item"),
            variable("list", "Into list"),
        ]),
        action(
            "data.sort_list",
            "Sort list",
            da,
            "Sorts the items of a list",
        )
        .params(vec![
            variable("list", "List to sort"),
            choice("order", "Order", &["Ascending", "Descending"]).advanced(),
        ]),
        // HTTP
        action(
            "http.invoke",
            "Invoke web service",
            h,
            "Sends an HTTP request and gets the response",
        )
        .params(vec![
            text("url", "URL"),
            choice(
                "method",
                "Method",
                &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
            ),
            choice(
                "accept",
                "Accept",
                &["application/json", "application/xml", "text/plain", "*/*"],
            )
            .advanced(),
            choice(
                "content_type",
                "Content type",
                &[
                    "application/json",
                    "application/x-www-form-urlencoded",
                    "text/plain",
                    "application/xml",
                ],
            )
            .advanced(),
            multiline("headers", "Custom headers").advanced(),
            multiline("body", "Request body").optional(),
            number("timeout", "Timeout (seconds)")
                .advanced()
                .default("30"),
            boolean("fail_on_error", "Fail on error status code", true).advanced(),
        ])
        .outputs(vec![
            out("headers", "WebServiceResponseHeaders"),
            out("body", "WebServiceResponse"),
            out("status", "StatusCode"),
        ]),
        // Message boxes
        action(
            "messages.display",
            "Display message",
            m,
            "Shows a message box",
        )
        .params(vec![
            text("title", "Message box title").optional(),
            multiline("message", "Message to display"),
            choice(
                "icon",
                "Message box icon",
                &["None", "Information", "Question", "Warning", "Error"],
            )
            .advanced(),
            choice(
                "buttons",
                "Message box buttons",
                &["OK", "OK - Cancel", "Yes - No", "Yes - No - Cancel"],
            )
            .advanced(),
        ])
        .outputs(vec![out("button", "ButtonPressed")]),
        action(
            "messages.input",
            "Display input dialog",
            m,
            "Asks the user to type a value",
        )
        .params(vec![
            text("title", "Input dialog title").optional(),
            text("message", "Input dialog message"),
            text("default", "Default value").optional(),
            choice(
                "input_type",
                "Input type",
                &["Single line", "Password", "Multiline"],
            )
            .advanced(),
        ])
        .outputs(vec![
            out("input", "UserInput"),
            out("button", "ButtonPressed"),
        ]),
    ]
    .into_iter()
    .map(|b| b.0)
    .collect()
}

/// Categories of the standard library in display order, each with its icon key.
pub fn standard_categories() -> Vec<Category> {
    [
        ("Variables", "variables"),
        ("Conditionals", "conditionals"),
        ("Loops", "loops"),
        ("Flow control", "flow"),
        ("Text", "text"),
        ("Date time", "datetime"),
        ("Data", "data"),
        ("HTTP", "http"),
        ("Message boxes", "messages"),
    ]
    .into_iter()
    .map(|(n, i)| Category {
        name: n.into(),
        icon: i.into(),
    })
    .collect()
}

/// The standard library as a catalog.
pub fn standard_catalog() -> Catalog {
    Catalog::new(standard_categories(), standard_actions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_has_at_least_40_actions_in_8_categories_each_known() {
        let cat = standard_catalog();
        assert!(cat.actions.len() >= 40, "{} actions", cat.actions.len());
        assert!(cat.categories.len() >= 8);
        for a in &cat.actions {
            assert!(
                cat.categories.iter().any(|c| c.name == a.category),
                "{} has unknown category {}",
                a.id,
                a.category
            );
        }
        let mut ids: Vec<_> = cat.actions.iter().map(|a| &a.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), cat.actions.len(), "duplicate action ids");
    }
}
