//! The sign-in limits (S30): which counters an attempt draws on, and when a counter makes the
//! next attempt wait. Pure policy, no I/O and no clock: the store keeps the counters
//! (`store/signin.rs`) and calls [`Allowance::wait`] under the counters' row locks, so that the
//! check and the count are one step in every process.
//!
//! An attempt draws on three counters:
//! - the pair of the e-mail and the client address: [`PAIR`], 5 attempts, then growing delays;
//! - the e-mail from any address: [`PER_EMAIL`], a looser ceiling against guesses spread over many
//!   addresses;
//! - the client address for any e-mail: [`PER_ADDRESS`], a looser ceiling against one address
//!   trying many e-mails.
//!
//! A pair that signed in successfully within [`TRUST_FOR`] seconds skips the two ceilings, so an
//! attacker elsewhere who exhausts them cannot keep the real user out of an address the user has
//! used before; the pair's own counter still applies there. A success starts the pair's count
//! again. The counters are kept as SHA-256 hashes of their keys, so the table holds no e-mail or
//! address in clear.

use std::net::IpAddr;

use crate::auth::sha256_hex;

/// How many attempts a counter allows, and the delays after that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowance {
    /// Attempts that need no wait within a window.
    pub free: i64,
    /// The wait after the free attempts, in seconds; it doubles with each further attempt.
    pub first_delay: i64,
    /// The longest wait, in seconds.
    pub max_delay: i64,
    /// A counter starts again this many seconds after its window's first attempt.
    pub window: i64,
}

/// The counter of one e-mail and one client address: 5 free attempts an hour, then 30 seconds,
/// 1, 2, 4, 8 minutes, then 15 minutes between attempts.
pub const PAIR: Allowance = Allowance {
    free: 5,
    first_delay: 30,
    max_delay: 15 * 60,
    window: 60 * 60,
};

/// The ceiling of one e-mail over all addresses: 50 attempts an hour, then the same delays.
pub const PER_EMAIL: Allowance = Allowance { free: 50, ..PAIR };

/// The ceiling of one client address over all e-mails: 100 attempts an hour, then the same
/// delays.
pub const PER_ADDRESS: Allowance = Allowance { free: 100, ..PAIR };

/// How long, in seconds, a successful sign-in exempts its pair from the two ceilings: 30 days.
pub const TRUST_FOR: i64 = 30 * 24 * 60 * 60;

/// A counter as stored: when its window began, the attempts counted in it and when the last one
/// was (Unix seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counter {
    /// The first attempt of the current window.
    pub window_start: i64,
    /// The attempts counted in the window.
    pub attempts: i64,
    /// The last attempt counted.
    pub last_at: i64,
}

impl Allowance {
    /// The seconds an attempt at `now` must still wait, or `None` when it may go ahead.
    pub fn wait(&self, counter: &Counter, now: i64) -> Option<i64> {
        let counter = self.current(counter, now);
        if counter.attempts < self.free {
            return None;
        }
        let doublings = u32::try_from(counter.attempts - self.free)
            .unwrap_or(u32::MAX)
            .min(20);
        let delay = self
            .first_delay
            .saturating_mul(1_i64 << doublings)
            .min(self.max_delay);
        let ready_at = counter.last_at.saturating_add(delay);
        (now < ready_at).then_some(ready_at - now)
    }

    /// The counter after an attempt at `now` is counted.
    pub fn count(&self, counter: &Counter, now: i64) -> Counter {
        let counter = self.current(counter, now);
        Counter {
            window_start: if counter.attempts == 0 {
                now
            } else {
                counter.window_start
            },
            attempts: counter.attempts + 1,
            last_at: now,
        }
    }

    /// The counter as it stands at `now`: empty once its window is over.
    fn current(&self, counter: &Counter, now: i64) -> Counter {
        if counter.attempts == 0 || now.saturating_sub(counter.window_start) >= self.window {
            Counter::default()
        } else {
            *counter
        }
    }
}

/// Where a sign-in comes from, as the limits see it: an IPv4 address, the /64 network of an IPv6
/// address (one customer line usually gets a whole /64, so single addresses in it would be free
/// for the taking), or `unknown` when the server cannot tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(String);

impl ClientAddress {
    /// The address of a client; IPv4 addresses written as IPv6 count as IPv4.
    pub fn new(ip: IpAddr) -> ClientAddress {
        match ip.to_canonical() {
            IpAddr::V4(v4) => ClientAddress(v4.to_string()),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                ClientAddress(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
            }
        }
    }

    /// A client whose address is not known (a request made in-process).
    pub fn unknown() -> ClientAddress {
        ClientAddress("unknown".to_owned())
    }

    /// The address as the limits key it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The stored keys of the three counters of an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptKeys {
    /// The e-mail and the address together.
    pub pair: String,
    /// The e-mail alone.
    pub email: String,
    /// The address alone.
    pub address: String,
}

impl AttemptKeys {
    /// The keys of an attempt for `email` (already trimmed and lowercased) from `address`.
    pub fn new(email: &str, address: &ClientAddress) -> AttemptKeys {
        AttemptKeys {
            pair: sha256_hex(&format!("pair\n{email}\n{}", address.as_str())),
            email: sha256_hex(&format!("email\n{email}")),
            address: sha256_hex(&format!("address\n{}", address.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(allowance: &Allowance, times: i64, at: i64) -> Counter {
        (0..times).fold(Counter::default(), |c, _| allowance.count(&c, at))
    }

    #[test]
    fn five_attempts_are_free_then_the_waits_double_up_to_fifteen_minutes() {
        let mut counter = Counter::default();
        for _ in 0..5 {
            assert_eq!(PAIR.wait(&counter, 1_000), None);
            counter = PAIR.count(&counter, 1_000);
        }
        assert_eq!(PAIR.wait(&counter, 1_000), Some(30));
        assert_eq!(PAIR.wait(&counter, 1_029), Some(1));
        assert_eq!(PAIR.wait(&counter, 1_030), None);
        let mut now = 1_030;
        let mut waits = Vec::new();
        for _ in 0..7 {
            counter = PAIR.count(&counter, now);
            let wait = PAIR.wait(&counter, now).expect("a wait");
            waits.push(wait);
            now += wait;
        }
        assert_eq!(waits, [60, 120, 240, 480, 900, 900, 900]);
    }

    #[test]
    fn a_window_ends_an_hour_after_its_first_attempt() {
        let counter = counted(&PAIR, 7, 1_000);
        assert_eq!(PAIR.wait(&counter, 1_050), Some(70));
        // The window started at 1,000: at 4,600 the count starts again.
        assert_eq!(PAIR.count(&counter, 4_599).attempts, 8);
        let next = PAIR.count(&counter, 4_600);
        assert_eq!(
            next,
            Counter {
                window_start: 4_600,
                attempts: 1,
                last_at: 4_600
            }
        );
    }

    #[test]
    fn the_ceilings_are_looser_than_the_pair() {
        assert_eq!(PER_EMAIL.wait(&counted(&PER_EMAIL, 49, 10), 10), None);
        assert_eq!(PER_EMAIL.wait(&counted(&PER_EMAIL, 50, 10), 10), Some(30));
        assert_eq!(PER_ADDRESS.wait(&counted(&PER_ADDRESS, 99, 10), 10), None);
        assert_eq!(
            PER_ADDRESS.wait(&counted(&PER_ADDRESS, 100, 10), 10),
            Some(30)
        );
    }

    #[test]
    fn huge_counts_wait_the_longest_delay_without_overflow() {
        let counter = Counter {
            window_start: 0,
            attempts: i64::MAX,
            last_at: 0,
        };
        assert_eq!(PAIR.wait(&counter, 1), Some(899));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        let a = ClientAddress::new("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = ClientAddress::new("2001:db8:1:2:bbbb::9".parse().expect("ip"));
        let c = ClientAddress::new("2001:db8:1:3::1".parse().expect("ip"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "2001:db8:1:2::/64");
        let mapped = ClientAddress::new("::ffff:192.0.2.7".parse().expect("ip"));
        assert_eq!(mapped.as_str(), "192.0.2.7");
    }

    #[test]
    fn the_keys_hide_the_email_and_the_address_and_differ_by_counter() {
        let keys = AttemptKeys::new("giulia@example.com", &ClientAddress::unknown());
        for key in [&keys.pair, &keys.email, &keys.address] {
            assert_eq!(key.len(), 64);
            assert!(!key.contains("giulia"));
        }
        assert_ne!(keys.pair, keys.email);
        let other = AttemptKeys::new("marco@example.com", &ClientAddress::unknown());
        assert_eq!(keys.address, other.address);
        assert_ne!(keys.email, other.email);
    }
}
