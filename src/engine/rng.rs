//! The engine's one random source: seeded, so every run can be reproduced.

/// A small, fast, seeded generator (SplitMix64). Not for cryptography: it names pods.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Rng {
    state: u64,
}

/// The alphabet of generated name suffixes (apimachinery `util/rand`): no vowels, no 0/1/3.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    pub fn seeded(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A generateName suffix: 5 characters, as the API server makes them.
    pub fn name_suffix(&mut self) -> String {
        (0..5)
            .map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A version-4 UUID string.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        uuid_from(a, b)
    }

    /// `n` random lowercase hex digits (container IDs, machine IDs).
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }
}

/// The version-4 UUID string made of the 128 bits `a`, `b` (version and variant bits set).
pub fn uuid_from(a: u64, b: u64) -> String {
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_names() {
        let mut a = Rng::seeded(7);
        let mut b = Rng::seeded(7);
        assert_eq!(a.name_suffix(), b.name_suffix());
        assert_eq!(a.uuid(), b.uuid());
    }

    #[test]
    fn suffixes_use_only_the_api_server_alphabet() {
        let mut r = Rng::seeded(1);
        for _ in 0..200 {
            let s = r.name_suffix();
            assert_eq!(s.len(), 5);
            assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)), "{s}");
        }
    }

    #[test]
    fn uuids_have_version_and_variant_bits() {
        let u = Rng::seeded(3).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
