//! Demo data: the instances a Spanish-speaking operator would plausibly run.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One instance the sandbox serves, as announced at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInstance {
    pub id: String,
    pub label: String,
    pub tags: Vec<String>,
    pub active: bool,
}

const CURATED: &[(&str, &[&str])] = &[
    ("Tienda Lima", &["peru", "ventas"]),
    ("Soporte Bogotá", &["colombia", "soporte"]),
    ("Pedidos CDMX", &["mexico", "pedidos"]),
    ("Reservas Cusco", &["peru", "turismo"]),
    ("Cobranzas Santiago", &["chile", "cobranzas"]),
    ("Delivery Buenos Aires", &["argentina", "pedidos"]),
    ("Clínica Quito", &["ecuador", "citas"]),
    ("Ventas Guadalajara", &["mexico", "ventas"]),
    ("Atención Montevideo", &["uruguay", "soporte"]),
    ("Farmacia Medellín", &["colombia", "pedidos"]),
    ("Academia Madrid", &["espana", "educacion"]),
    ("Postventa Asunción", &["paraguay", "soporte"]),
];

const KINDS: &[(&str, &str)] = &[
    ("Tienda", "ventas"),
    ("Soporte", "soporte"),
    ("Pedidos", "pedidos"),
    ("Citas", "citas"),
];
const COUNTRIES: &[&str] = &[
    "peru",
    "colombia",
    "mexico",
    "chile",
    "argentina",
    "ecuador",
];

/// `n` instances: the curated ones first, then generated labels like
/// "Tienda 0042". About `active_ratio` of them active, spread evenly.
pub fn demo_instances(n: usize, active_ratio: f64) -> Vec<DemoInstance> {
    let ratio = if active_ratio.is_finite() {
        active_ratio.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (0..n)
        .map(|i| {
            let (label, tags) = match CURATED.get(i) {
                Some((label, tags)) => (
                    label.to_string(),
                    tags.iter().map(|t| t.to_string()).collect(),
                ),
                None => {
                    let (kind, tag) = KINDS[i % KINDS.len()];
                    let country = COUNTRIES[(i / KINDS.len()) % COUNTRIES.len()];
                    (
                        format!("{kind} {i:04}"),
                        vec![country.to_string(), tag.to_string()],
                    )
                }
            };
            // Active when the running share crosses an integer: 0.5 gives
            // inactive, active, inactive, …; 1.0 all; 0.0 none.
            let active = ((i + 1) as f64 * ratio).floor() > (i as f64 * ratio).floor();
            DemoInstance {
                id: instance_id(i),
                label,
                tags,
                active,
            }
        })
        .collect()
}

/// A vendor-looking id (24 upper-case alphanumerics), the same for an index
/// on every run, so demo configs keep working across restarts.
pub fn instance_id(index: usize) -> String {
    let mut rng = StdRng::seed_from_u64(0x5A4D_B0C5 ^ index as u64);
    random_alnum(&mut rng, 24, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
}

/// A fresh API key for a sandbox started without one.
pub fn generate_api_key() -> String {
    random_alnum(
        &mut rand::rng(),
        32,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    )
}

fn random_alnum(rng: &mut impl Rng, len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_unique_and_alphanumeric() {
        let a = demo_instances(1000, 0.5);
        let b = demo_instances(1000, 0.5);
        assert_eq!(a, b);
        let ids: std::collections::HashSet<_> = a.iter().map(|i| i.id.clone()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(a[0].id.len() == 24 && a[0].id.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn labels_curated_then_generated() {
        let v = demo_instances(1000, 0.5);
        assert_eq!(v[0].label, "Tienda Lima");
        assert_eq!(v[0].tags, ["peru", "ventas"]);
        assert_eq!(v[42].label, "Pedidos 0042");
        assert_eq!(v[42].tags.len(), 2);
    }

    #[test]
    fn active_ratio_gives_a_mix() {
        let count = |r| demo_instances(100, r).iter().filter(|i| i.active).count();
        assert_eq!(count(0.5), 50);
        assert_eq!(count(0.0), 0);
        assert_eq!(count(1.0), 100);
        assert_eq!(count(f64::NAN), 50);
        let six = demo_instances(6, 0.5);
        assert!(six.iter().any(|i| i.active) && six.iter().any(|i| !i.active));
    }
}
