//! Stable sorting through two shared instances of the standard sort: every `sort_by_key` call
//! site compiles its own copy of the sort (about 3 KB of the designer's wasm each).

/// Sort by name, then position (the one sort for text keys).
pub fn by_name(v: &mut [(String, u32)]) {
    v.sort_unstable();
}

/// Sort by rank, then position (the one sort for number keys).
fn by_rank(v: &mut [(u64, u32)]) {
    v.sort_unstable();
}

/// Stable sort of `items` by a number: equal ranks keep their order.
pub fn sort_by_rank<T>(items: &mut [T], rank: impl Fn(&T) -> u64) {
    let mut keys: Vec<(u64, u32)> = (0..).zip(items.iter()).map(|(i, x)| (rank(x), i)).collect();
    by_rank(&mut keys);
    permute(items, keys.iter().map(|k| k.1));
}

/// Stable sort of `items` by a text: equal texts keep their order.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> String) {
    let mut keys: Vec<(String, u32)> = (0..).zip(items.iter()).map(|(i, x)| (name(x), i)).collect();
    by_name(&mut keys);
    permute(items, keys.iter().map(|k| k.1));
}

/// Put the item at `order[k]` at position `k`, by swaps.
fn permute<T>(items: &mut [T], order: impl Iterator<Item = u32>) {
    // dest[i]: where the item now at i goes.
    let mut dest = vec![0usize; items.len()];
    for (k, from) in order.enumerate() {
        dest[from as usize] = k;
    }
    for i in 0..items.len() {
        while dest[i] != i {
            let j = dest[i];
            items.swap(i, j);
            dest.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_are_stable_like_sort_by_key() {
        let items: Vec<(u64, char)> =
            vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e'), (2, 'f')];
        let mut ours = items.clone();
        sort_by_rank(&mut ours, |x| x.0);
        let mut std = items.clone();
        std.sort_by_key(|x| x.0);
        assert_eq!(ours, std);

        let names = ["b", "A", "a", "B", "c", "a"];
        let mut ours: Vec<&str> = names.to_vec();
        sort_by_name(&mut ours, |n| n.to_lowercase());
        let mut std = names.to_vec();
        std.sort_by_key(|n| n.to_lowercase());
        assert_eq!(ours, std);

        let mut none: Vec<u8> = vec![];
        sort_by_rank(&mut none, |x| u64::from(*x));
        assert!(none.is_empty());
    }
}
