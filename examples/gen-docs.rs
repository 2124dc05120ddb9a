//! `cargo run --example gen-docs`: writes the manual pages (`man/`) and the
//! shell completions (`completions/`) that `ipvsadm::cli::docs` makes from
//! the flag table, into the repository (or into the folder given as the one
//! argument). The integration test `docs` fails while they are stale.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = match std::env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    };
    for (path, text) in ipvsadm::cli::docs::render_all() {
        let file = root.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let unchanged = std::fs::read(&file).is_ok_and(|old| old == text.as_bytes());
        if !unchanged {
            std::fs::write(&file, &text)?;
        }
        println!(
            "{} {}",
            if unchanged { "unchanged" } else { "wrote" },
            file.display()
        );
    }
    Ok(())
}
