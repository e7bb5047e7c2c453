//! Latency samples and their summary.

use std::time::Duration;

/// Latencies of one kind of request, in microseconds.
#[derive(Clone, Debug, Default)]
pub struct Samples {
    micros: Vec<u64>,
}

impl Samples {
    /// Records one latency.
    pub fn push(&mut self, latency: Duration) {
        self.micros
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    }

    /// Adds another set of samples.
    pub fn extend(&mut self, other: Samples) {
        self.micros.extend(other.micros);
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.micros.len()
    }

    /// The `q` quantile (0..=1) in milliseconds, nearest rank; 0 without samples.
    fn quantile_ms(sorted: &[u64], q: f64) -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let last = sorted.len() - 1;
        // Rounded rank in 0..=last; the cast is exact for any realistic sample count.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rank = ((q * last as f64).round() as usize).min(last);
        sorted[rank] as f64 / 1000.0
    }

    /// `count, rate/s, p50, p90, p99, max` as one line.
    pub fn summary(&self, label: &str, elapsed: Duration) -> String {
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        let rate = sorted.len() as f64 / elapsed.as_secs_f64().max(1e-9);
        format!(
            "{label:<22} n={:<7} rate={rate:>9.1}/s  p50={:.2}ms p90={:.2}ms p99={:.2}ms max={:.2}ms (over {:.2}s)",
            sorted.len(),
            Samples::quantile_ms(&sorted, 0.5),
            Samples::quantile_ms(&sorted, 0.9),
            Samples::quantile_ms(&sorted, 0.99),
            Samples::quantile_ms(&sorted, 1.0),
            elapsed.as_secs_f64()
        )
    }

    /// The 99th percentile in milliseconds.
    pub fn p99_ms(&self) -> f64 {
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        Samples::quantile_ms(&sorted, 0.99)
    }
}
