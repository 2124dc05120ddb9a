//! Unit tests of the reader (and the rules, below it): the fixtures'
//! shapes (tests/fixtures/k8s/README.md says where each comes from), the
//! errors' places, and a property test that no truncated or mutated input
//! makes the reader panic.

use super::input::{read_files, read_str, Cluster, ReadError};
use crate::test_util::Rng;

pub(super) const LIST: &str = include_str!("../../tests/fixtures/k8s/cluster-list.json");
pub(super) const SERVICE: &str = include_str!("../../tests/fixtures/k8s/service.json");
pub(super) const NO_CONDITIONS: &str =
    include_str!("../../tests/fixtures/k8s/endpointslices-no-conditions.json");
pub(super) const NODE_LIST: &str = include_str!("../../tests/fixtures/k8s/nodes-list.json");

pub(super) fn read(texts: &[&str]) -> Cluster {
    let mut c = Cluster::default();
    for t in texts {
        read_str("fixture", t, &mut c).unwrap();
    }
    c
}

fn read_err(text: &str) -> ReadError {
    read_str("f.json", text, &mut Cluster::default()).unwrap_err()
}

#[test]
fn a_list_of_several_kinds() {
    let c = read(&[LIST]);
    assert_eq!(
        (c.services.len(), c.slices.len(), c.nodes.len(), c.skipped),
        (8, 8, 2, 0)
    );
    assert_eq!(c.services[0].metadata.name.as_deref(), Some("kubernetes"));
    assert_eq!(c.slices[1].ports.as_ref().unwrap().len(), 3);
}

#[test]
fn a_single_object_a_typed_list_and_a_list_of_one_kind() {
    let c = read(&[SERVICE, NODE_LIST, NO_CONDITIONS]);
    assert_eq!((c.services.len(), c.slices.len(), c.nodes.len()), (1, 1, 2));
    let e = &c.slices[0].endpoints.as_ref().unwrap()[0];
    assert!(e.conditions.is_none());
}

#[test]
fn other_kinds_are_skipped_and_unknown_fields_ignored() {
    let c = read(&[r#"{"apiVersion":"v1","kind":"List","items":[
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}},
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"shinyNewField":{"a":[1]}}]}"#]);
    assert_eq!((c.nodes.len(), c.skipped), (1, 1));
}

#[test]
fn an_error_names_the_file_and_the_place_in_it() {
    // A syntax error on line 3.
    let e = read_err("{\n \"kind\": \"List\",\n \"items\": [,]\n}");
    assert_eq!((e.file.as_str(), e.line, e.column), ("f.json", 3, 12));
    assert!(
        e.to_string().starts_with("f.json: line 3 column 12: "),
        "{e}"
    );
    // A type error inside the second item: its place in the file, not in
    // the item.
    let text = "{\"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Node\"},\n  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n   \"spec\": {\"ports\": 7}}]}";
    let e = read_err(text);
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("invalid type"), "{e}");
    // An item of a kind we read, with a version we do not.
    let e = read_err(
        r#"{"kind":"List","items":[{"apiVersion":"discovery.k8s.io/v1beta1","kind":"EndpointSlice"}]}"#,
    );
    assert!(e.message.contains("discovery.k8s.io/v1"), "{e}");
    // Not UTF-8, and empty.
    let e = super::input::read_bytes("b", b"{\"kind\": \"\xff\"}", &mut Cluster::default())
        .unwrap_err();
    assert_eq!((e.line, e.column, e.message.as_str()), (1, 11, "not UTF-8"));
    assert_eq!(read_err("").line, 1);
}

#[test]
fn files_and_standard_input_read_once() {
    let mut stdin = SERVICE.as_bytes();
    let c = read_files(&["-".into(), "-".into()], &mut stdin).unwrap();
    assert_eq!(c.services.len(), 1);
    let e = read_files(&["/nonexistent/k8s.json".into()], &mut stdin).unwrap_err();
    assert_eq!((e.line, e.file.as_str()), (0, "/nonexistent/k8s.json"));
    assert!(e.to_string().starts_with("/nonexistent/k8s.json: "));
}

/// Truncated and mutated fixtures never panic; a truncated document is
/// always an error, and every error's place lies inside the input.
#[test]
fn property_truncated_and_mutated_inputs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let inputs = [LIST, SERVICE, NO_CONDITIONS, NODE_LIST];
    let junk = b"{}[]\",:0-e.tn \n\\\xff\xc3a";
    for _ in 0..600 {
        let text = rng.pick(&inputs).as_bytes();
        let end = text.trim_ascii_end().len();
        let cut = rng.below(end);
        let mut bytes = text[..cut].to_vec();
        let truncated = read(&bytes);
        assert!(truncated.is_err(), "cut at {cut} was accepted");
        check_place(&bytes, &truncated);
        bytes = text.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] = rng.pick(junk),
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, rng.pick(junk)),
            }
        }
        let mutated = read(&bytes);
        check_place(&bytes, &mutated);
    }

    fn read(bytes: &[u8]) -> Result<(), ReadError> {
        super::input::read_bytes("p", bytes, &mut Cluster::default())
    }
    fn check_place(bytes: &[u8], r: &Result<(), ReadError>) {
        if let Err(e) = r {
            let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
            assert!(e.line >= 1 && e.line <= lines, "{e} in {lines} lines");
            assert!(e.column >= 1, "{e}");
        }
    }
}
