//! `--shard K/N`: N watchers on N machines split one fleet. An instance
//! belongs to shard `FNV-1a-64(id) mod N`, where the hash runs over the
//! id's UTF-8 bytes with the standard 64-bit offset basis
//! (0xcbf29ce484222325) and prime (0x100000001b3). The hash is fixed and
//! documented (not std's randomly keyed hasher), so every watcher, on any
//! machine and version, agrees on who watches what.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K: 0 ≤ K < N.
    pub index: u64,
    /// N ≥ 1.
    pub count: u64,
}

impl Shard {
    pub fn owns(&self, id: &str) -> bool {
        fnv1a64(id.as_bytes()) % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = "write it as K/N with 0 ≤ K < N, e.g. 0/2 and 1/2 for two watchers";
        let (k, n) = text
            .trim()
            .split_once('/')
            .ok_or_else(|| format!("invalid shard {text:?}: {usage}"))?;
        let parse = |s: &str| s.trim().parse::<u64>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(count)) if count >= 1 && index < count => Ok(Shard { index, count }),
            _ => Err(format!("invalid shard {text:?}: {usage}")),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a, 64 bits.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::demo_instance_id;

    #[test]
    fn the_hash_is_the_published_fnv1a_64() {
        // Reference values of FNV-1a 64 (the FNV authors' test vectors).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn n_shards_cover_every_instance_exactly_once() {
        let ids: Vec<String> = (0..2000).map(demo_instance_id).collect();
        for n in [1u64, 2, 3, 7, 16] {
            let mut owners = vec![0u32; ids.len()];
            let mut sizes = vec![0usize; n as usize];
            for k in 0..n {
                let shard = Shard { index: k, count: n };
                for (at, id) in ids.iter().enumerate() {
                    if shard.owns(id) {
                        owners[at] += 1;
                        sizes[k as usize] += 1;
                    }
                }
            }
            assert!(
                owners.iter().all(|&o| o == 1),
                "n={n}: an id owned 0 or 2+ times"
            );
            // And the split is fair enough to be useful (within ±25 %).
            let fair = ids.len() / n as usize;
            assert!(
                sizes
                    .iter()
                    .all(|&s| s * 4 >= fair * 3 && s * 4 <= fair * 5),
                "n={n}: {sizes:?}"
            );
        }
    }

    #[test]
    fn shards_parse_and_refuse_nonsense() {
        assert_eq!("1/3".parse(), Ok(Shard { index: 1, count: 3 }));
        assert_eq!(" 0 / 1 ".parse(), Ok(Shard { index: 0, count: 1 }));
        for bad in ["3/3", "1/0", "-1/2", "a/b", "2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 1, count: 2 }.to_string(), "1/2");
    }
}
