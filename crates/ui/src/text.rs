//! Placeholders in the bundles' texts: `{name}` filled in with a value.

/// Replaces each `{name}` of `text` with its value; a brace without a known name stays as it is.
///
/// One pass over the text rather than a `replace` per value: smaller in the bundles, and a value
/// that itself contains `{name}` (a contact's name) is never filled in again.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = values.iter().find(|(key, _)| *key == name)?.1;
            Some((value, &after[close + 1..]))
        });
        match known {
            Some((value, next)) => {
                out.push_str(value);
                rest = next;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        let text = fill("Da {min} a {max} licenze.", &[("min", "1"), ("max", "250")]);
        assert_eq!(text, "Da 1 a 250 licenze.");
    }

    #[test]
    fn filled_values_and_unknown_braces_are_kept_as_they_are() {
        let text = fill(
            "{name} ({email}) {x",
            &[("name", "A {email}"), ("email", "a@b")],
        );
        assert_eq!(text, "A {email} (a@b) {x");
        assert_eq!(fill("{a}{a}", &[("a", "1")]), "11");
        assert_eq!(fill("{n} of {m}, {n}{", &[("n", "3")]), "3 of {m}, 3{");
        assert_eq!(fill("{}{{n}}", &[("n", "x")]), "{}{x}");
        assert_eq!(fill("", &[("n", "x")]), "");
    }
}
