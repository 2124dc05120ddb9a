//! ARCHITECTURE.md's code maps, held true. The binary's table says which
//! modules each module under `src/` never imports; this reads the table,
//! reads every `crate::` path in `src/` (test modules included) and fails
//! on a forbidden one, on a module the table forgets, and on a circle of
//! imports between modules. The library's table (`crates/ipvs-client`)
//! does the same for its files, whose dependencies must stay those of a
//! library (no command line, no tables, no Kubernetes). Inside every
//! folder of either, the files' imports of each other form no circle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules of the library that are no layer: test helpers.
const NOT_LAYERS: &[&str] = &["test_util"];

/// The IPVS library: its folder, and the name the binary re-exports it
/// under (its one way in).
const LIBRARY: &str = "crates/ipvs-client";
const LIBRARY_CRATE: &str = "ipvs_client";

/// A code map of ARCHITECTURE.md, the table under the heading `title`:
/// each module and the modules it never imports (`any` stands for every
/// other module).
fn rules(root: &Path, title: &str) -> BTreeMap<String, Vec<String>> {
    let doc = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with(title))
        .unwrap_or_else(|| panic!("no section \"{title}\" in ARCHITECTURE.md"));
    let mut rules = BTreeMap::new();
    for line in section.lines() {
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

/// The modules a crate's `lib.rs` declares (`mod` or `pub mod`), and
/// the crates it re-exports as modules (`pub use other as name;`).
fn declared(lib: &Path) -> BTreeSet<String> {
    let lib = fs::read_to_string(lib).unwrap();
    lib.lines()
        .filter_map(|l| {
            let l = l.trim();
            let m = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "));
            let m = m.or_else(|| {
                let (_, name) = l.strip_prefix("pub use ")?.split_once(" as ")?;
                Some(name)
            });
            m.map(|m| m.trim_end_matches(';').to_string())
        })
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
    paths(text, "crate::")
}

/// The first names after `prefix` in a text's code (as `imports`).
fn paths(text: &str, prefix: &str) -> Vec<(String, usize)> {
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
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
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
                        // A plain name right before the comma.
                        if first && !item.is_empty() {
                            out.push((item.clone(), line_of(at)));
                        }
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
    let rules = rules(root, "Code map");
    let modules: BTreeSet<String> = declared(&root.join("src/lib.rs"))
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
        // The library's own files are held by its own map.
        if *module == "ipvs" {
            continue;
        }
        for file in files(root, module) {
            let text = fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(root).unwrap().display();
            // The library is reached by one name, `ipvs`.
            if let Some(at) = text.find(&format!("{LIBRARY_CRATE}::")) {
                let line = text[..at].matches('\n').count() + 1;
                broken.push(format!("{shown}:{line}: the library is `crate::ipvs`"));
            }
            for (used, line) in imports(&text) {
                if used == *module || NOT_LAYERS.contains(&used.as_str()) {
                    continue;
                }
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

/// The library's map: each file of `crates/ipvs-client/src` (its
/// modules are files, so `crate::x` and `super::x` both name file `x`;
/// `lib.rs` only declares and re-exports).
#[test]
fn the_library_map_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join(LIBRARY).join("src");
    let rules = rules(root, "The library's code map");
    let modules: BTreeSet<String> = declared(&src.join("lib.rs"))
        .into_iter()
        .filter(|m| m != "test_rng")
        .collect();
    let mapped: BTreeSet<String> = rules.keys().cloned().collect();
    assert_eq!(
        modules, mapped,
        "ARCHITECTURE.md's library map and {LIBRARY}/src/lib.rs name different modules"
    );
    let mut broken = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, never) in &rules {
        let file = src.join(format!("{module}.rs"));
        let text = fs::read_to_string(&file).unwrap();
        let mut used = paths(&text, "crate::");
        used.extend(paths(&text, "super::"));
        for (used, line) in used {
            if used == *module || !modules.contains(&used) {
                continue;
            }
            if never.iter().any(|n| *n == used || n == "any") {
                broken.push(format!(
                    "{module}.rs:{line}: `{module}` never imports `{used}`"
                ));
            }
            edges.entry(module.clone()).or_default().insert(used);
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    if let Some(circle) = find_circle(&edges) {
        panic!("the library's imports go round: {}", circle.join(" -> "));
    }
}

/// A library's dependencies: the kernel's interfaces and nothing of a
/// command line, a terminal or a cluster.
#[test]
fn the_library_depends_on_no_front_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join(LIBRARY).join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("\n[")
        .filter(|s| s.starts_with("dependencies]"))
        .flat_map(|s| s.lines().skip(1))
        .filter_map(|l| l.split_once(" = ").map(|(n, _)| n.trim().to_string()))
        .collect::<BTreeSet<_>>();
    let allowed = [
        "libc",
        "netlink-packet-core",
        "netlink-packet-generic",
        "netlink-sys",
        "thiserror",
    ];
    let extra: Vec<&String> = deps
        .iter()
        .filter(|d| !allowed.contains(&d.as_str()))
        .collect();
    assert!(extra.is_empty(), "the library depends on {extra:?}");
    assert!(
        deps.contains("netlink-sys"),
        "no dependencies read: {deps:?}"
    );
}

/// The files of one folder (`mod.rs` aside: files may use their folder's
/// module) and which of them each file names by `super::` (or, from a
/// test module, `super::super::`).
fn folder_edges(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let stems: BTreeSet<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let stem = p.file_stem()?.to_str()?.to_string();
            (p.extension()? == "rs" && stem != "mod" && stem != "lib").then_some(stem)
        })
        .collect();
    let mut edges = BTreeMap::new();
    for stem in &stems {
        let text = fs::read_to_string(dir.join(format!("{stem}.rs"))).unwrap();
        let used: BTreeSet<String> = paths(&text, "super::")
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| n != stem && stems.contains(n))
            .collect();
        edges.insert(stem.clone(), used);
    }
    edges
}

/// No two files of one folder import each other, however far round.
#[test]
fn no_circle_between_the_files_of_a_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("src"), root.join(LIBRARY).join("src")];
    let mut seen = 0;
    while let Some(dir) = dirs.pop() {
        seen += 1;
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            }
        }
        // A folder under src/ is a module whose files are its children;
        // the crates' roots hold modules that the maps above check.
        if dir.ends_with("src") {
            continue;
        }
        if let Some(circle) = find_circle(&folder_edges(&dir)) {
            panic!(
                "the files of {} import each other: {}",
                dir.strip_prefix(root).unwrap().display(),
                circle.join(" -> ")
            );
        }
    }
    assert!(seen > 5, "no folders found");
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
    let text = "use super::kube::{set, Input};\nuse super::{Flow, list::table};\n";
    let names: Vec<String> = paths(text, "super::").into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["kube", "Flow", "list"]);
}
