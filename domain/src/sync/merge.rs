//! The one merge rule of sync: field-level last-writer-wins by HLC. The
//! server applies pushed changes with it and every PC applies pulled ones
//! with it, so both ends decide every field the same way.
//!
//! Clocks are compared as their strings, which sort exactly like the
//! clocks (see [`super::hlc`]); a field never written has the empty clock.

use serde_json::{Map, Value};

/// What merging a change into a row decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The fields the change sets: its clock is later than theirs.
    pub winners: Map<String, Value>,
    /// Fields whose stored clock is later and whose stored value differs
    /// from the change's: the change's value lost (a conflict to record).
    pub losers: Vec<String>,
}

/// Whether a write at `incoming` replaces a field last written at `stored`.
pub fn wins(incoming: &str, stored: &str) -> bool {
    incoming > stored
}

/// Merges `fields` written at `clock` into a row whose fields were last
/// written at `clocks` (field name to clock string) and hold `values`.
/// A field with an equal clock, or an older clock and the same value,
/// changes nothing and is no conflict.
pub fn merge(
    clocks: &Map<String, Value>,
    values: &Map<String, Value>,
    fields: &Map<String, Value>,
    clock: &str,
) -> Merged {
    let mut merged = Merged::default();
    for (name, value) in fields {
        let stored = clocks.get(name).and_then(Value::as_str).unwrap_or("");
        if wins(clock, stored) {
            merged.winners.insert(name.clone(), value.clone());
        } else if wins(stored, clock) && values.get(name) != Some(value) {
            merged.losers.push(name.clone());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// A row as clocks and values per field.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Row {
        clocks: Map<String, Value>,
        values: Map<String, Value>,
    }

    /// One write: some fields at one clock.
    #[derive(Debug, Clone)]
    struct Write {
        clock: String,
        fields: Map<String, Value>,
    }

    fn apply(row: &mut Row, write: &Write) {
        let merged = merge(&row.clocks, &row.values, &write.fields, &write.clock);
        for (name, value) in merged.winners {
            row.clocks
                .insert(name.clone(), Value::String(write.clock.clone()));
            row.values.insert(name, value);
        }
    }

    /// Two rows joined field by field: the later clock's value.
    fn join(a: &Row, b: &Row) -> Row {
        let mut out = a.clone();
        for (name, clock) in &b.clocks {
            let write = Write {
                clock: clock.as_str().unwrap_or_default().to_owned(),
                fields: Map::from_iter([(name.clone(), b.values[name].clone())]),
            };
            apply(&mut out, &write);
        }
        out
    }

    fn fold(writes: &[Write]) -> Row {
        let mut row = Row::default();
        writes.iter().for_each(|w| apply(&mut row, w));
        row
    }

    /// Writes with distinct clocks (a clock names its device, so two
    /// writes never share one) over a few fields and values.
    fn writes() -> impl Strategy<Value = Vec<Write>> {
        let field = prop::sample::select(vec!["first_name", "notes", "gender", "address"]);
        let value = prop_oneof![Just(Value::Null), (0..5u8).prop_map(|n| json!(format!("v{n}")))];
        let fields = prop::collection::btree_map(field, value, 1..4);
        prop::collection::vec(fields, 1..8).prop_flat_map(|all| {
            let n = all.len();
            (Just(all), Just((0..n as u64).collect::<Vec<_>>()).prop_shuffle()).prop_map(|(all, order)| {
                all.into_iter()
                    .zip(order)
                    .map(|(fields, t)| Write {
                        clock: format!("{t:012x}-000000-{:032x}", t + 1),
                        fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                    })
                    .collect()
            })
        })
    }

    proptest! {
        #[test]
        fn the_order_of_arrival_does_not_matter(writes in writes(), seed in any::<u64>()) {
            let mut shuffled = writes.clone();
            let n = shuffled.len();
            for i in (1..n).rev() {
                shuffled.swap(i, (seed as usize).wrapping_add(i * 7919) % (i + 1));
            }
            prop_assert_eq!(fold(&writes), fold(&shuffled));
        }

        #[test]
        fn applying_a_write_again_changes_nothing(writes in writes()) {
            let once = fold(&writes);
            let mut twice = once.clone();
            writes.iter().for_each(|w| apply(&mut twice, w));
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn joining_rows_is_associative_commutative_and_idempotent(
            a in writes(), b in writes(), c in writes()
        ) {
            let (a, b, c) = (fold(&a), fold(&b), fold(&c));
            prop_assert_eq!(join(&join(&a, &b), &c), join(&a, &join(&b, &c)));
            prop_assert_eq!(join(&a, &a), a.clone());
            // Equal clocks on both sides with other values cannot happen
            // (a clock is one write); compare where the clocks differ.
            let distinct = a.clocks.iter().all(|(k, v)| b.clocks.get(k).is_none_or(|w| w != v));
            if distinct {
                prop_assert_eq!(join(&a, &b), join(&b, &a));
            }
        }
    }

    #[test]
    fn an_older_write_of_another_value_is_a_conflict_and_an_equal_one_is_not() {
        let clocks = Map::from_iter([("notes".to_owned(), json!("b"))]);
        let values = Map::from_iter([("notes".to_owned(), json!("kept"))]);
        let older = Map::from_iter([("notes".to_owned(), json!("lost"))]);
        assert_eq!(merge(&clocks, &values, &older, "a").losers, ["notes"]);
        assert!(
            merge(&clocks, &values, &values, "a").losers.is_empty(),
            "same value: no conflict"
        );
        assert!(
            merge(&clocks, &values, &older, "b").winners.is_empty(),
            "equal clock: no change"
        );
        assert_eq!(merge(&clocks, &values, &older, "c").winners, older);
    }
}
