//! Sample streams, stored column by column with `None` for gaps.

use serde::{Deserialize, Serialize};

/// One sample channel: a value per sample, `None` where the device recorded nothing
/// (a gap is never a magic number).
pub type Channel = Vec<Option<f64>>;

/// The channels cairn reads from files, each in SI or its conventional unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Latitude,
    Longitude,
    Altitude,
    Distance,
    Speed,
    HeartRate,
    Cadence,
    Power,
    Temperature,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 9] = [
        ChannelKind::Latitude,
        ChannelKind::Longitude,
        ChannelKind::Altitude,
        ChannelKind::Distance,
        ChannelKind::Speed,
        ChannelKind::HeartRate,
        ChannelKind::Cadence,
        ChannelKind::Power,
        ChannelKind::Temperature,
    ];

    /// Stable name used in storage and JSON.
    pub fn id(self) -> &'static str {
        match self {
            ChannelKind::Latitude => "lat_deg",
            ChannelKind::Longitude => "lon_deg",
            ChannelKind::Altitude => "altitude_m",
            ChannelKind::Distance => "distance_m",
            ChannelKind::Speed => "speed_mps",
            ChannelKind::HeartRate => "heart_rate_bpm",
            ChannelKind::Cadence => "cadence_rpm",
            ChannelKind::Power => "power_w",
            ChannelKind::Temperature => "temperature_c",
        }
    }

    pub fn from_id(id: &str) -> Option<ChannelKind> {
        ChannelKind::ALL.into_iter().find(|k| k.id() == id)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Samples of one activity in file order: a timestamp per sample and any number
/// of channels. A channel the file never carried is absent, not a column of `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// UTC milliseconds since the Unix epoch, one per sample.
    pub time_ms: Vec<i64>,
    channels: [Option<Channel>; ChannelKind::ALL.len()],
}

impl Samples {
    pub fn len(&self) -> usize {
        self.time_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time_ms.is_empty()
    }

    /// The channel, if the file carried it at all.
    pub fn channel(&self, kind: ChannelKind) -> Option<&Channel> {
        self.channels[kind.index()].as_ref()
    }

    /// The channel for writing, created full of gaps on first use.
    pub fn channel_mut(&mut self, kind: ChannelKind) -> &mut Channel {
        let len = self.time_ms.len();
        self.channels[kind.index()].get_or_insert_with(|| vec![None; len])
    }

    /// Removes a channel and returns it (put it back with [`Samples::set_channel`]).
    pub fn take_channel(&mut self, kind: ChannelKind) -> Option<Channel> {
        self.channels[kind.index()].take()
    }

    /// Replaces or removes a channel. Its length must match the timestamps.
    pub fn set_channel(&mut self, kind: ChannelKind, channel: Option<Channel>) {
        debug_assert!(channel
            .as_ref()
            .is_none_or(|c| c.len() == self.time_ms.len()));
        self.channels[kind.index()] = channel;
    }

    /// Appends one sample: its time, then `None` in every existing channel.
    /// Set values with [`Samples::set_last`].
    pub fn push_time(&mut self, time_ms: i64) {
        self.time_ms.push(time_ms);
        for c in self.channels.iter_mut().flatten() {
            c.push(None);
        }
    }

    /// Appends one sample with a value (or gap) for every channel, indexed by
    /// `ChannelKind as usize`. A channel seen for the first time is created
    /// with gaps before this sample.
    #[inline]
    pub fn push_row(&mut self, time_ms: i64, row: &[Option<f64>; ChannelKind::ALL.len()]) {
        let len = self.time_ms.len();
        self.time_ms.push(time_ms);
        for (slot, value) in self.channels.iter_mut().zip(row) {
            let value = value.filter(|v| v.is_finite());
            match slot {
                Some(c) => c.push(value),
                None if value.is_some() => {
                    // As much room as the timestamps have: callers reserve for the whole file.
                    let mut c = Vec::with_capacity(self.time_ms.capacity());
                    c.resize(len, None);
                    c.push(value);
                    *slot = Some(c);
                }
                None => {}
            }
        }
    }

    /// Reserves room for `additional` more samples in every present channel
    /// (and, through the timestamps' capacity, in channels created later).
    pub fn reserve(&mut self, additional: usize) {
        self.time_ms.reserve(additional);
        for c in self.channels.iter_mut().flatten() {
            c.reserve(additional);
        }
    }

    /// Sets a value on the most recently pushed sample.
    pub fn set_last(&mut self, kind: ChannelKind, value: f64) {
        if self.time_ms.is_empty() || !value.is_finite() {
            return;
        }
        let last = self.time_ms.len() - 1;
        self.channel_mut(kind)[last] = Some(value);
    }

    /// Channels present, in a stable order.
    pub fn kinds(&self) -> impl Iterator<Item = ChannelKind> + '_ {
        ChannelKind::ALL
            .into_iter()
            .filter(|k| self.channels[k.index()].is_some())
    }

    /// Channels that hold at least one value.
    pub fn kinds_with_values(&self) -> impl Iterator<Item = ChannelKind> + '_ {
        self.kinds().filter(|k| {
            self.channel(*k)
                .is_some_and(|c| c.iter().any(Option::is_some))
        })
    }

    /// Keeps only the samples whose index passes `keep`, in every channel.
    pub fn retain_indices(&mut self, keep: &[bool]) {
        debug_assert_eq!(keep.len(), self.time_ms.len());
        let mut it = keep.iter();
        self.time_ms.retain(|_| *it.next().unwrap_or(&false));
        for c in self.channels.iter_mut().flatten() {
            let mut it = keep.iter();
            c.retain(|_| *it.next().unwrap_or(&false));
        }
    }

    /// A copy of the samples in `range`.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Samples {
        let mut out = Samples {
            time_ms: self.time_ms[range.clone()].to_vec(),
            ..Samples::default()
        };
        for k in self.kinds() {
            if let Some(c) = self.channel(k) {
                out.channels[k.index()] = Some(c[range.clone()].to_vec());
            }
        }
        out
    }

    /// Positions as (lat, lon) for samples that have both.
    pub fn position(&self, i: usize) -> Option<(f64, f64)> {
        let lat = self
            .channel(ChannelKind::Latitude)?
            .get(i)
            .copied()
            .flatten()?;
        let lon = self
            .channel(ChannelKind::Longitude)?
            .get(i)
            .copied()
            .flatten()?;
        Some((lat, lon))
    }

    /// Value of a channel at index `i`, if any.
    pub fn value(&self, kind: ChannelKind, i: usize) -> Option<f64> {
        self.channel(kind)?.get(i).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_appear_on_first_value_and_stay_aligned() {
        let mut s = Samples::default();
        s.push_time(0);
        s.push_time(1000);
        s.set_last(ChannelKind::HeartRate, 120.0);
        s.push_time(2000);
        assert_eq!(
            s.channel(ChannelKind::HeartRate).unwrap(),
            &vec![None, Some(120.0), None]
        );
        assert!(s.channel(ChannelKind::Power).is_none());
        s.retain_indices(&[true, true, false]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.channel(ChannelKind::HeartRate).unwrap().len(), 2);
    }

    #[test]
    fn non_finite_values_are_gaps() {
        let mut s = Samples::default();
        s.push_time(0);
        s.set_last(ChannelKind::Power, f64::NAN);
        assert!(s.channel(ChannelKind::Power).is_none());
    }
}
