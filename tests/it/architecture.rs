//! ARCHITECTURE.md's code map, held true: its table says which modules
//! each module under `src/` never imports; this reads the table, reads
//! every `crate::` path in `src/` (test modules included) and fails on a
//! forbidden one, on a module the table forgets, and on a circle of
//! imports between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules of the library that are no layer: test helpers.
const NOT_LAYERS: &[&str] = &["test_util"];

/// The code map: each module and the modules it never imports (`any`
/// stands for every other module).
fn rules(root: &Path) -> BTreeMap<String, Vec<String>> {
    let doc = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut rules = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        let Some(name) = cells[0].strip_prefix("| `") else {
            continue;
        };
        let name = name.trim_end_matches('`').to_string();
        let never = cells.last().unwrap().trim_end_matches('|').trim();
        let never = never
            .split(", ")
            .filter(|w| w.starts_with('`') || *w == "any")
            .map(|w| w.trim_matches('`').to_string())
            .collect();
        rules.insert(name, never);
    }
    assert!(rules.len() > 5, "no code map found in ARCHITECTURE.md");
    rules
}

/// The modules `src/lib.rs` declares.
fn declared(root: &Path) -> BTreeSet<String> {
    let lib = fs::read_to_string(root.join("src/lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

/// The `.rs` files of one module: `src/NAME.rs` or all under `src/NAME/`.
fn files(root: &Path, module: &str) -> Vec<PathBuf> {
    let file = root.join("src").join(format!("{module}.rs"));
    if file.exists() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![root.join("src").join(module)];
    while let Some(dir) = dirs.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The modules under `src/` that a text names by `crate::` paths, each
/// with the line it is named on; `use crate::{a, b::c}` names `a` and `b`.
fn imports(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    // Comments are prose: a `crate::` there imports nothing.
    let code: Vec<&str> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect();
    let code = code.join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut first = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        first = true;
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && first {
                    if is_ident(c) {
                        item.push(c);
                    } else if !item.is_empty() {
                        out.push((item.clone(), line_of(at)));
                        first = false;
                    }
                }
            }
            if first && !item.is_empty() {
                out.push((item, line_of(at)));
            }
        } else {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            out.push((name, line_of(at)));
        }
    }
    out
}

#[test]
fn the_code_map_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = rules(root);
    let modules: BTreeSet<String> = declared(root)
        .into_iter()
        .filter(|m| !NOT_LAYERS.contains(&m.as_str()))
        .collect();
    let mapped: BTreeSet<String> = rules.keys().cloned().collect();
    assert_eq!(
        modules, mapped,
        "ARCHITECTURE.md's code map and src/lib.rs name different modules"
    );
    let mut broken = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, never) in &rules {
        for file in files(root, module) {
            let text = fs::read_to_string(&file).unwrap();
            for (used, line) in imports(&text) {
                if used == *module || NOT_LAYERS.contains(&used.as_str()) {
                    continue;
                }
                let shown = file.strip_prefix(root).unwrap().display().to_string();
                if !modules.contains(&used) {
                    broken.push(format!(
                        "{shown}:{line}: crate::{used} is no module of the map"
                    ));
                } else if never.iter().any(|n| *n == used || n == "any") {
                    broken.push(format!("{shown}:{line}: `{module}` never imports `{used}`"));
                }
                edges.entry(module.clone()).or_default().insert(used);
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    if let Some(circle) = find_circle(&edges) {
        panic!("the imports go round: {}", circle.join(" -> "));
    }
}

/// A circle in the graph of imports, if there is one.
fn find_circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut circle = path[i..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

#[test]
fn imports_are_read_from_paths_and_groups() {
    let text = "use crate::cli::{Command, Format};\n// crate::exec in prose\nuse crate::{format::Names, ipvs};\nlet x = $crate::y; crate::streams::Streams::new();";
    let names: Vec<String> = imports(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["cli", "format", "ipvs", "streams"]);
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_circle(&edges).unwrap(), ["a", "b", "a"]);
}
