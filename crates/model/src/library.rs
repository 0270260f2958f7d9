//! The standard action library, named as Power Automate for desktop names its actions.
//!
//! The library is written as text and read once into `ActionDef`s: as data it costs the
//! designer's wasm a fraction of what code building each definition would.

use crate::catalog::{ActionDef, Catalog, Category, Output, Param, ParamType, Shape, Visibility};

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

/// The comparison operators of conditions, as a `choice` option list.
macro_rules! operators {
    () => {
        "Equal to (=);Not equal to (<>);Greater than (>);Greater than or equal to (>=);Less than (<);Less than or equal to (<=);Contains;Does not contain;Is empty;Is not empty;Starts with;Ends with"
    };
}

/// The parameters of a condition (If, Else if, Loop condition).
macro_rules! condition {
    () => {
        concat!(
            "  text first|First operand\n",
            "  choice operator|Operator|",
            operators!(),
            "\n",
            "  text second|Second operand|optional\n",
        )
    };
}

/// Every standard action, one line each, in library order:
///
/// - `[Category]` starts a category;
/// - `id|Name|Description` an action, with an optional fourth field for its shape: `block`,
///   `loop` (a looping block) or `in <block action id>` (a clause of that block);
/// - an indented `<kind> name|Label` a parameter of the action above, `kind` one of `text`,
///   `multiline`, `number`, `boolean` (not required), `variable`, `list` or `choice` (then
///   `|option;option;…`, the first option the default); then any of `|optional` (not required),
///   `|advanced` (under "Advanced", not required), `|=default` and `|?help text`;
/// - an indented `> name|DefaultVar` a variable the action produces.
const LIBRARY: &str = concat!(
    r"[Variables]
variables.set|Set variable|Sets the value of a new or existing variable
  text value|Value|?The value to assign, e.g. 5 or %OtherVar%
  > variable|NewVar
variables.increase|Increase variable|Increases a variable by a number
  variable variable|Variable name
  number amount|Increase by|=1
variables.decrease|Decrease variable|Decreases a variable by a number
  variable variable|Variable name
  number amount|Decrease by|=1
variables.truncate|Truncate number|Gets the integer or fractional part of a number, or rounds it
  number number|Number to truncate
  choice operation|Operation|Get integer part;Get decimal part;Round number
  number decimals|Decimal places|advanced|=0
  > result|TruncatedValue
variables.random|Generate random number|Generates a random number in a range
  number min|Minimum value|=0
  number max|Maximum value|=100
  boolean multiple|Generate multiple numbers|advanced|=False
  number count|How many numbers|advanced|=1
  > result|RandomNumber
[Conditionals]
conditionals.if|If|Marks the beginning of a block of actions that run if a condition is met|block
",
    condition!(),
    r"conditionals.else_if|Else if|Runs the following actions if the previous conditions were not met and this one is|in conditionals.if
",
    condition!(),
    r"conditionals.else|Else|Runs the following actions if no previous condition of the If was met|in conditionals.if
conditionals.switch|Switch|Runs the first Case whose condition matches the value to check|block
  text value|Value to check
conditionals.case|Case|A branch of a Switch|in conditionals.switch
  choice operator|Operator|",
    operators!(),
    r"
  text value|Value to compare
conditionals.default_case|Default case|Runs when no Case of the Switch matched|in conditionals.switch
[Loops]
loops.loop|Loop|Repeats a block of actions a number of times|loop
  number start|Start from|=1
  number end|End to
  number step|Increment by|=1
  > index|LoopIndex
loops.condition|Loop condition|Repeats a block of actions while a condition is true|loop
",
    condition!(),
    r"loops.for_each|For each|Repeats a block of actions for each item of a list|loop
  text list|Value to iterate|?A list, e.g. %List%
  > item|CurrentItem
loops.exit|Exit loop|Leaves the innermost loop
loops.next|Next loop|Goes on with the next iteration of the innermost loop
[Flow control]
flow.comment|Comment|A note in the flow; does nothing
  multiline comment|Comment|optional
flow.wait|Wait|Pauses the flow for a number of seconds
  number seconds|Duration (seconds)
flow.label|Label|Marks a point in the flow that Go to can jump to
  text name|Label name
flow.goto|Go to|Jumps to a label
  text label|Go to label
flow.run_subflow|Run subflow|Runs a subflow and comes back
  text subflow|Call subflow
flow.stop|Stop flow|Stops the flow
  choice end|End flow|Successfully;With error message
  text message|Error message|advanced
flow.on_block_error|On block error|Handles errors raised by the actions inside the block|block
  text name|Name|optional
  choice then|On error|Continue flow run;Throw error|advanced
[Text]
text.append_line|Append line to text|Appends a line of text to a text value
  text text|Original text|optional
  text line|Line to append
  > result|Result
text.split|Split text|Splits a text into a list by a delimiter
  text text|Text to split
  choice delimiter_type|Delimiter type|Standard;Custom
  text delimiter|Custom delimiter|optional|=,
  boolean is_regex|Is regular expression|advanced|=False
  > result|TextList
text.join|Join text|Joins the items of a list into one text
  list list|Specify list to join
  text delimiter|Delimiter|optional|=,
  > result|JoinedText
text.replace|Replace text|Replaces occurrences of a text with another
  text text|Text to parse
  text find|Text to find
  text replace|Replace with|optional
  boolean ignore_case|Ignore case|advanced|=False
  boolean is_regex|Use regular expressions for find and replace|advanced|=False
  > result|Replaced
text.trim|Trim text|Removes whitespace at the start, the end, or both
  text text|Text to trim
  choice what|What to trim|Whitespace characters from the beginning and end;Whitespace characters from the beginning;Whitespace characters from the end
  > result|TrimmedText
text.change_case|Change text case|Changes a text to upper, lower, title or sentence case
  text text|Text to convert
  choice case|Convert to|Upper case;Lower case;Title case;Sentence case
  > result|TextWithChangedCase
text.subtext|Get subtext|Gets part of a text
  text text|Original text
  number start|Character position|=0
  number length|Number of characters|optional
  > result|Subtext
text.parse|Parse text|Finds a text or a regular expression in a text
  text text|Text to parse
  text find|Text to find
  boolean is_regex|Is regular expression|=False
  boolean first_only|First occurrence only|advanced|=True
  boolean ignore_case|Ignore case|advanced|=False
  > position|Position
  > match|Match
text.to_number|Convert text to number|Converts a text to a number
  text text|Text to convert
  > result|TextAsNumber
text.from_number|Convert number to text|Converts a number to a text with a number of decimals
  number number|Number to convert
  number decimals|Decimal places|optional|=2
  boolean separators|Use digit grouping separators|advanced|=False
  > result|FormattedNumber
[Date time]
datetime.now|Get current date and time|Gets the current date and time
  choice retrieve|Retrieve|Current date and time;Current date only
  > result|CurrentDateTime
datetime.add|Add to datetime|Adds a number of time units to a datetime
  text datetime|Datetime
  number amount|Add
  choice unit|Time unit|Seconds;Minutes;Hours;Days;Months;Years
  > result|ResultedDate
datetime.subtract|Subtract dates|Gets the difference between two dates
  text from|From date
  text subtract|Subtract date
  choice unit|Get difference in|Days;Hours;Minutes;Seconds
  > result|TimeDifference
datetime.to_text|Convert datetime to text|Formats a datetime as text
  text datetime|Datetime to convert
  choice format|Format|Short date;Long date;Short time;Long time;Full date time;Sortable date time;Custom
  text custom|Custom format|advanced|=yyyy-MM-dd
  > result|FormattedDateTime
[Data]
data.json_to_object|Convert JSON to custom object|Parses a JSON text into a custom object
  multiline json|JSON
  > result|JsonAsCustomObject
data.object_to_json|Convert custom object to JSON|Serializes a custom object as JSON text
  text object|Custom object
  > result|CustomObjectAsJson
data.new_list|Create new list|Creates an empty list
  > list|List
data.add_to_list|Add item to list|Adds an item to a list
  text item|Add item
  variable list|Into list
data.sort_list|Sort list|Sorts the items of a list
  variable list|List to sort
  choice order|Order|Ascending;Descending|advanced
[HTTP]
http.invoke|Invoke web service|Sends an HTTP request and gets the response
  text url|URL
  choice method|Method|GET;POST;PUT;PATCH;DELETE;HEAD;OPTIONS
  choice accept|Accept|application/json;application/xml;text/plain;*/*|advanced
  choice content_type|Content type|application/json;application/x-www-form-urlencoded;text/plain;application/xml|advanced
  multiline headers|Custom headers|advanced
  multiline body|Request body|optional
  number timeout|Timeout (seconds)|advanced|=30
  boolean fail_on_error|Fail on error status code|advanced|=True
  > headers|WebServiceResponseHeaders
  > body|WebServiceResponse
  > status|StatusCode
[Message boxes]
messages.display|Display message|Shows a message box
  text title|Message box title|optional
  multiline message|Message to display
  choice icon|Message box icon|None;Information;Question;Warning;Error|advanced
  choice buttons|Message box buttons|OK;OK - Cancel;Yes - No;Yes - No - Cancel|advanced
  > button|ButtonPressed
messages.input|Display input dialog|Asks the user to type a value
  text title|Input dialog title|optional
  text message|Input dialog message
  text default|Default value|optional
  choice input_type|Input type|Single line;Password;Multiline|advanced
  > input|UserInput
  > button|ButtonPressed
"
);

/// Every standard action, grouped by category in library order.
pub fn standard_actions() -> Vec<ActionDef> {
    let mut actions: Vec<ActionDef> = Vec::new();
    let mut category = "";
    for line in LIBRARY.lines() {
        if let Some(c) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            category = c;
        } else if let Some(item) = line.strip_prefix("  ") {
            if let Some(action) = actions.last_mut() {
                read_item(action, item);
            }
        } else {
            let mut f = line.split('|');
            let mut next = || f.next().unwrap_or_default().to_string();
            let (id, name, description, shape) = (next(), next(), next(), next());
            actions.push(ActionDef {
                id,
                name,
                category: category.into(),
                description,
                params: Vec::new(),
                outputs: Vec::new(),
                shape: match shape.as_str() {
                    "" => Shape::Plain,
                    "block" => Shape::Block { is_loop: false },
                    "loop" => Shape::Block { is_loop: true },
                    of => Shape::Clause {
                        of: of.trim_start_matches("in ").into(),
                    },
                },
            });
        }
    }
    actions
}

/// Add one indented line of `LIBRARY` (a parameter or a produced variable) to `action`.
fn read_item(action: &mut ActionDef, item: &str) {
    if let Some((name, var)) = item.strip_prefix("> ").and_then(|o| o.split_once('|')) {
        action.outputs.push(Output {
            name: name.into(),
            default_var: var.into(),
            description: String::new(),
        });
        return;
    }
    let (kind, rest) = item.split_once(' ').unwrap_or((item, ""));
    let mut f = rest.split('|');
    let name = f.next().unwrap_or_default().into();
    let label = f.next().unwrap_or_default().into();
    let ty = match kind {
        "multiline" => ParamType::Text { multiline: true },
        "number" => ParamType::Number,
        "boolean" => ParamType::Boolean,
        "variable" => ParamType::VariableName,
        "list" => ParamType::List,
        "choice" => ParamType::Enum {
            options: f
                .next()
                .unwrap_or_default()
                .split(';')
                .map(String::from)
                .collect(),
        },
        _ => ParamType::Text { multiline: false },
    };
    let mut p = Param {
        name,
        label,
        default: match &ty {
            ParamType::Enum { options } => options.first().cloned(),
            _ => None,
        },
        required: kind != "boolean",
        visibility: Visibility::Important,
        description: String::new(),
        ty,
    };
    for flag in f {
        if flag == "optional" {
            p.required = false;
        } else if flag == "advanced" {
            p.visibility = Visibility::Advanced;
            p.required = false;
        } else if let Some(d) = flag.strip_prefix('=') {
            p.default = Some(d.into());
        } else if let Some(h) = flag.strip_prefix('?') {
            p.description = h.into();
        }
    }
    action.params.push(p);
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

    /// The text reads into exactly the reviewed definitions (regenerate the fixture from
    /// `standard_actions()` when changing the library on purpose).
    #[test]
    fn library_text_reads_as_the_fixture() {
        let want: Vec<ActionDef> =
            serde_json::from_str(include_str!("../tests/fixtures/standard_actions.json")).unwrap();
        let got = standard_actions();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w);
        }
    }

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
