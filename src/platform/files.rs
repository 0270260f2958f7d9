//! Files: offering text as a download, reading a picked file (bounded), safe file names.

/// Offer `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot make the file")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make the file")?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        wasm_bindgen::JsCast::dyn_into(doc.create_element("a").map_err(|_| "no link")?)
            .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Open the picker of the file input with this id. File inputs are found by id rather than
/// through node refs: one element type's reference code less in the wasm.
pub fn pick_file(input_id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) =
        super::element(input_id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        input.click();
    }
}

/// The file picked in the file input whose `change` event this is; the input is cleared so the
/// same file can be picked again.
pub fn take_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.current_target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}

/// A picked file's text, refused unread when it is larger than `max_bytes`.
pub async fn read_text(file: &web_sys::File, max_bytes: usize) -> Result<String, String> {
    if file.size() > max_bytes as f64 {
        return Err(format!(
            "the file is larger than {} MB",
            (max_bytes / (1024 * 1024)).max(1)
        ));
    }
    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
        Ok(t) => Ok(t.as_string().unwrap_or_default()),
        Err(_) => Err("the file could not be read".into()),
    }
}

/// A name made safe as the start of a file name ("flow" when nothing is left).
pub fn file_stem(name: &str) -> String {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = base.trim();
    if base.is_empty() { "flow" } else { base }.to_string()
}
