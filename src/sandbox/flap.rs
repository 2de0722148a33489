//! `--flap RATE`: linked instances drop at random and relink by themselves,
//! like numbers whose phone loses signal: most come back within seconds,
//! some stay away for minutes. RATE is the chance per linked instance per
//! minute (0.2: each linked instance drops about once every 5 minutes).
//! Only drops made here are relinked here; an instance a test or the user
//! dropped stays dropped until scanned.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::Rng;

use super::state::InstanceState;

/// How often the flapper looks at the instances.
pub const STEP: Duration = Duration::from_secs(1);
/// The share of drops that last minutes rather than seconds.
const LONG_SHARE: f64 = 0.3;

#[derive(Debug, Default)]
pub struct Flapper {
    /// Drops per linked instance per minute.
    pub rate: f64,
    /// Instance position -> when it relinks.
    relink: HashMap<usize, Instant>,
}

impl Flapper {
    pub fn new(rate: f64) -> Flapper {
        Flapper {
            rate,
            relink: HashMap::new(),
        }
    }

    /// How long one drop lasts: 5–30 s mostly, 1–5 min for the rest.
    fn outage(rng: &mut impl Rng) -> Duration {
        if rng.random_bool(LONG_SHARE) {
            Duration::from_secs(rng.random_range(60..=300))
        } else {
            Duration::from_secs(rng.random_range(5..=30))
        }
    }

    /// One step of `dt`: relink the drops that are over, drop new ones.
    /// Returns (dropped, relinked) this step.
    pub fn step(
        &mut self,
        instances: &mut [InstanceState],
        now: Instant,
        dt: Duration,
        rng: &mut impl Rng,
    ) -> (usize, usize) {
        let mut relinked = 0;
        self.relink.retain(|&at, &mut when| {
            if when > now {
                return true;
            }
            if let Some(inst) = instances.get_mut(at)
                && !inst.active
            {
                inst.scan();
                relinked += 1;
            }
            false
        });
        let p = (self.rate * dt.as_secs_f64() / 60.0).clamp(0.0, 1.0);
        let mut dropped = 0;
        for (at, inst) in instances.iter_mut().enumerate() {
            if inst.active && !self.relink.contains_key(&at) && rng.random_bool(p) {
                inst.drop_link(now, rng);
                self.relink.insert(at, now + Self::outage(rng));
                dropped += 1;
            }
        }
        (dropped, relinked)
    }
}

/// Check a `--flap` value.
pub fn validate(rate: f64) -> Result<(), String> {
    if rate.is_finite() && (0.0..=60.0).contains(&rate) {
        Ok(())
    } else {
        Err(format!(
            "--flap {rate}: the chance per linked instance per minute must be between 0 and 60"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    fn fleet(n: usize, t0: Instant) -> Vec<InstanceState> {
        (0..n)
            .map(|i| InstanceState::new(format!("I{i}"), format!("l{i}"), vec![], true, t0))
            .collect()
    }

    #[test]
    fn instances_drop_and_come_back_some_briefly_some_for_minutes() {
        let t0 = Instant::now();
        let mut rng = SmallRng::seed_from_u64(42);
        let mut instances = fleet(200, t0);
        // 6 per minute: a tenth of the fleet drops per second at first.
        let mut flapper = Flapper::new(6.0);
        let (dropped, _) = flapper.step(&mut instances, t0, STEP, &mut rng);
        assert!((5..=40).contains(&dropped), "{dropped}");
        let down: Vec<usize> = (0..200).filter(|&i| !instances[i].active).collect();
        assert_eq!(down.len(), dropped);
        // Stop new drops and let time pass: brief ones come back first.
        flapper.rate = 0.0;
        let (_, back) = flapper.step(&mut instances, t0 + Duration::from_secs(31), STEP, &mut rng);
        assert!(
            back > 0 && back < dropped,
            "{back} of {dropped} back after 31 s"
        );
        let (_, rest) = flapper.step(
            &mut instances,
            t0 + Duration::from_secs(301),
            STEP,
            &mut rng,
        );
        assert_eq!(back + rest, dropped, "everyone back after 5 min");
        assert!(instances.iter().all(|i| i.active));
    }

    #[test]
    fn a_drop_made_elsewhere_is_not_relinked() {
        let t0 = Instant::now();
        let mut rng = SmallRng::seed_from_u64(1);
        let mut instances = fleet(3, t0);
        instances[1].drop_link(t0, &mut rng);
        let mut flapper = Flapper::new(0.0);
        flapper.step(
            &mut instances,
            t0 + Duration::from_secs(3600),
            STEP,
            &mut rng,
        );
        assert!(!instances[1].active);
        assert!(
            instances[0].active && instances[2].active,
            "rate 0: nothing drops"
        );
    }

    #[test]
    fn rates_are_checked() {
        assert!(validate(0.0).is_ok() && validate(0.2).is_ok());
        assert!(validate(-1.0).is_err() && validate(f64::NAN).is_err() && validate(61.0).is_err());
    }
}
