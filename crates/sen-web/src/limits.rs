//! A per-client token bucket for write requests, in memory per node.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    capacity: f64,
    per: Duration,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `capacity` requests per `per`, refilled continuously; 0 disables limits.
    pub fn new(capacity: u32, per: Duration) -> Self {
        Self {
            capacity: capacity as f64,
            per,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `false` when the client must slow down.
    pub fn allow(&self, key: &str) -> bool {
        if self.capacity == 0.0 {
            return true;
        }
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() > 100_000 {
            // Forget idle clients rather than grow without bound.
            let per = self.per;
            buckets.retain(|_, (_, t)| now.duration_since(*t) < per);
        }
        let rate = self.capacity / self.per.as_secs_f64();
        let (tokens, last) = buckets
            .entry(key.to_string())
            .or_insert((self.capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(self.capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_then_refuses() {
        let l = RateLimiter::new(3, Duration::from_secs(60));
        assert!(l.allow("a") && l.allow("a") && l.allow("a"));
        assert!(!l.allow("a"));
        assert!(l.allow("b"));
        assert!(RateLimiter::new(0, Duration::from_secs(1)).allow("x"));
    }
}
