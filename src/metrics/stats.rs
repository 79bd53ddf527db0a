//! Statistics of few, skewed values (SPEC section 14): nearest-rank
//! distributions and the two-sided Mann–Whitney U test that decides
//! whether a duration changed between two periods. Definitions follow
//! numpy's `percentile(method="inverted_cdf")` and scipy's
//! `mannwhitneyu(alternative="two-sided", method="exact"|"asymptotic")`,
//! so that a team can check every figure in a notebook.

use serde::Serialize;

/// The distribution of one duration over a period, in minutes (or days
/// for `days_to_publish`). Every figure is `null` and `n` is 0 when no
/// incident counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Summary {
    pub(crate) n: usize,
    pub(crate) p50: Option<f64>,
    pub(crate) p90: Option<f64>,
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) mean: Option<f64>,
    /// Kept for compatibility: the nearest-rank median, equal to `p50`.
    pub(crate) median: Option<f64>,
    /// With `report --compare`: the change against the previous period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) compare: Option<Comparison>,
    /// How many of the values use an estimated timestamp.
    #[serde(skip)]
    pub(crate) estimated: usize,
    /// The values, sorted: the charts draw them and a comparison tests them.
    #[serde(skip)]
    pub(crate) values: Vec<f64>,
    /// Beside each of `values`: whether it uses an estimated timestamp.
    #[serde(skip)]
    pub(crate) estimated_at: Vec<bool>,
}

impl Summary {
    pub(crate) fn of(values: Vec<f64>) -> Summary {
        Summary::of_marked(values.into_iter().map(|v| (v, false)).collect())
    }

    /// Values, each marked when it rests on a reconstructed timestamp.
    pub(crate) fn of_marked(mut marked: Vec<(f64, bool)>) -> Summary {
        marked.retain(|(v, _)| v.is_finite());
        marked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (values, estimated_at): (Vec<f64>, Vec<bool>) = marked.into_iter().unzip();
        let estimated = estimated_at.iter().filter(|e| **e).count();
        let n = values.len();
        let p50 = nearest_rank(&values, 50);
        Summary {
            n,
            p50,
            p90: nearest_rank(&values, 90),
            min: values.first().copied(),
            max: values.last().copied(),
            mean: (n > 0).then(|| values.iter().sum::<f64>() / n as f64),
            median: p50,
            compare: None,
            estimated,
            values,
            estimated_at,
        }
    }
}

/// The nearest-rank `k`th percentile of sorted values: x_ceil(k/100 * n),
/// in whole numbers so that no rounding moves a rank.
pub(crate) fn nearest_rank(sorted: &[f64], k: usize) -> Option<f64> {
    rank_of(sorted.len(), k).map(|r| sorted[r])
}

/// The 0-based position of the nearest-rank `k`th percentile among `n`
/// sorted values.
pub(crate) fn rank_of(n: usize, k: usize) -> Option<usize> {
    (n > 0).then(|| (k * n).div_ceil(100).clamp(1, n) - 1)
}

impl Summary {
    /// Whether the `k`th percentile's value rests on an estimated
    /// timestamp (shown with `~`).
    pub(crate) fn estimated_percentile(&self, k: usize) -> bool {
        rank_of(self.n, k).is_some_and(|r| self.estimated_at[r])
    }
}

/// How a duration moved between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ChangeKind {
    Lower,
    Higher,
    Insufficient,
    NoChange,
}

/// SPEC's `compare` of one duration block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Comparison {
    pub(crate) change: ChangeKind,
    /// `null` when `insufficient`.
    pub(crate) p_value: Option<f64>,
    /// The two sample sizes, for "n = 6 vs 7" (this period first).
    #[serde(skip)]
    pub(crate) n_previous: usize,
    #[serde(skip)]
    pub(crate) n_current: usize,
}

/// Below this p-value a change counts.
pub(crate) const SIGNIFICANCE: f64 = 0.05;

/// The change from `previous` to `current`: `insufficient` unless both
/// have at least `min_n` values, else the Mann–Whitney U test decides.
pub(crate) fn compare(current: &Summary, previous: &Summary, min_n: usize) -> Comparison {
    let (n_current, n_previous) = (current.n, previous.n);
    if n_current < min_n.max(1) || n_previous < min_n.max(1) {
        return Comparison {
            change: ChangeKind::Insufficient,
            p_value: None,
            n_previous,
            n_current,
        };
    }
    let p = mann_whitney_u(&current.values, &previous.values).p_value;
    let change = if p >= SIGNIFICANCE {
        ChangeKind::NoChange
    } else if current.p50 < previous.p50 {
        ChangeKind::Lower
    } else if current.p50 > previous.p50 {
        ChangeKind::Higher
    } else {
        // The ranks differ but the medians agree: nothing a reader could
        // act on in the median moved.
        ChangeKind::NoChange
    };
    Comparison {
        change,
        p_value: Some(p),
        n_previous,
        n_current,
    }
}

/// Which way scipy computed the p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Exact,
    Asymptotic,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MannWhitney {
    /// U of the first sample.
    pub(crate) u1: f64,
    pub(crate) p_value: f64,
    pub(crate) method: Method,
}

/// Largest sample for the exact distribution (SPEC: both n <= 20).
const EXACT_MAX_N: usize = 20;

/// Two-sided Mann–Whitney U test of `x` against `y` (both non-empty):
/// exact when both have at most 20 values and no value occurs twice in
/// the two together, else the normal approximation with tie and
/// continuity correction.
pub(crate) fn mann_whitney_u(x: &[f64], y: &[f64]) -> MannWhitney {
    let (ranks, tie_sizes) = average_ranks(x, y);
    let (n1, n2) = (x.len(), y.len());
    let r1: f64 = ranks[..n1].iter().sum();
    let u1 = r1 - (n1 * (n1 + 1)) as f64 / 2.0;
    let u2 = (n1 * n2) as f64 - u1;
    let u = u1.max(u2);
    let method = if n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N && tie_sizes.is_empty() {
        Method::Exact
    } else {
        Method::Asymptotic
    };
    let one_sided = match method {
        // Without ties U is a whole number.
        Method::Exact => exact_sf(n1, n2, u.round() as usize),
        Method::Asymptotic => {
            let n = (n1 + n2) as f64;
            let tie_term: f64 = tie_sizes
                .iter()
                .map(|&t| {
                    let t = t as f64;
                    t * t * t - t
                })
                .sum();
            let mu = (n1 * n2) as f64 / 2.0;
            let s = ((n1 * n2) as f64 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
            let z = (u - mu - 0.5) / s;
            normal_sf(z)
        }
    };
    MannWhitney {
        u1,
        p_value: (2.0 * one_sided).clamp(0.0, 1.0),
        method,
    }
}

/// Average ranks (1-based) of `x` then `y` in the combined sample, and
/// the size of every group of tied values.
fn average_ranks(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by(|&a, &b| all[a].total_cmp(&all[b]));
    let mut ranks = vec![0.0; all.len()];
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && all[order[end]] == all[order[start]] {
            end += 1;
        }
        // Positions start+1 ..= end share their mean rank.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        if end - start > 1 {
            ties.push(end - start);
        }
        start = end;
    }
    (ranks, ties)
}

/// P(U >= k) under the null hypothesis, from the exact distribution of
/// U: the coefficients of the Gaussian binomial [n1 + n2 choose n1]
/// divided by C(n1 + n2, n1).
fn exact_sf(n1: usize, n2: usize, k: usize) -> f64 {
    let max = n1 * n2;
    if k == 0 {
        return 1.0;
    }
    if k > max {
        return 0.0;
    }
    // prod_{i=1}^{n1} (1 - q^(n2 + i)) / (1 - q^i); each division by
    // (1 - q^i) is exact and is a running sum with stride i.
    let mut poly = vec![0i128; max + 1];
    poly[0] = 1;
    for i in 1..=n1 {
        let shift = n2 + i;
        for d in (shift..=max).rev() {
            poly[d] -= poly[d - shift];
        }
        for d in i..=max {
            poly[d] += poly[d - i];
        }
    }
    let total: i128 = poly.iter().sum();
    let tail: i128 = poly[k..].iter().sum();
    tail as f64 / total as f64
}

/// Upper tail of the standard normal distribution.
pub(crate) fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function: a series without cancellation for
/// small |x|, a continued fraction in the tail (both to double precision).
fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 3.0 {
        // erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1))
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        let mut n = 0.0;
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * x2 / (2.0 * n + 1.0);
            sum += term;
        }
        return 1.0 - 2.0 / std::f64::consts::PI.sqrt() * (-x2).exp() * sum;
    }
    if x > 27.0 {
        return 0.0;
    }
    // erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    // evaluated with the modified Lentz method.
    let tiny = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..300 {
        let a = k as f64 / 2.0;
        d = x + a * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = x + a / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (std::f64::consts::PI.sqrt() * f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300) || (a - b).abs() < 1e-15
    }

    #[test]
    fn nearest_rank_matches_inverted_cdf() {
        // numpy.percentile(range(1, 11), [50, 90], method="inverted_cdf")
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&ten, 50), Some(5.0));
        assert_eq!(nearest_rank(&ten, 90), Some(9.0));
        assert_eq!(nearest_rank(&[7.0], 90), Some(7.0));
        assert_eq!(nearest_rank(&[], 50), None);
        // 0.9 * 7 = 6.3: rank 7; 0.5 * 7 = 3.5: rank 4.
        let seven: Vec<f64> = (1..=7).map(f64::from).collect();
        assert_eq!(nearest_rank(&seven, 90), Some(7.0));
        assert_eq!(nearest_rank(&seven, 50), Some(4.0));
        // A float product would make 0.9 * 20 = 18.000000000000004 rank 19.
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(nearest_rank(&twenty, 90), Some(18.0));
    }

    #[test]
    fn summary_of_nothing_is_null_with_n_zero() {
        let s = Summary::of(vec![]);
        assert_eq!(s.n, 0);
        assert_eq!(
            (s.p50, s.p90, s.min, s.max, s.mean),
            (None, None, None, None, None)
        );
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"n":0,"p50":null,"p90":null,"min":null,"max":null,"mean":null,"median":null}"#
        );
        let s = Summary::of(vec![10.0, 1.0, 4.0, 3.0]);
        assert_eq!((s.mean, s.median, s.p50), (Some(4.5), Some(3.0), Some(3.0)));
        assert_eq!((s.min, s.max, s.p90), (Some(1.0), Some(10.0), Some(10.0)));
    }

    #[test]
    fn normal_tail_to_double_precision() {
        // scipy.stats.norm.sf
        assert!(close(normal_sf(1.96), 0.024997895148220435));
        assert!(close(normal_sf(0.0), 0.5));
        assert!(close(normal_sf(-1.0), 0.8413447460685429));
        assert!(close(normal_sf(4.5), 3.3976731247300535e-06));
        assert!(close(normal_sf(2.5), 0.006209665325776132));
        assert!(close(erfc(1.0), 0.15729920705028513));
        assert!(close(erfc(3.0), 2.209049699858544e-05));
    }

    #[test]
    fn exact_test_agrees_with_scipy() {
        // scipy.stats.mannwhitneyu([1,2,3,4,5,6], [7,8,9,10,11,12,13], method="exact")
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let y = [7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0];
        let r = mann_whitney_u(&x, &y);
        assert_eq!(r.method, Method::Exact);
        assert_eq!(r.u1, 0.0);
        assert!(close(r.p_value, 2.0 / 1716.0), "{}", r.p_value);
        // scipy.stats.mannwhitneyu([1,4,5], [2,3,6,7], method="exact"):
        // U1 = 4, and 2 * P(U >= 8) = 2 * 11/35.
        let r = mann_whitney_u(&[1.0, 4.0, 5.0], &[2.0, 3.0, 6.0, 7.0]);
        assert_eq!(r.u1, 4.0);
        assert!(close(r.p_value, 0.6285714285714286), "{}", r.p_value);
    }

    #[test]
    fn ties_take_the_normal_approximation() {
        // scipy.stats.mannwhitneyu([1,2,2,3], [2,4,5,6,7], method="asymptotic")
        let r = mann_whitney_u(&[1.0, 2.0, 2.0, 3.0], &[2.0, 4.0, 5.0, 6.0, 7.0]);
        assert_eq!(r.method, Method::Asymptotic);
        assert_eq!(r.u1, 2.0);
        assert!(close(r.p_value, 0.06168916598092455), "{}", r.p_value);
        // Every value the same: no evidence of a change.
        let r = mann_whitney_u(&[5.0; 9], &[5.0; 9]);
        assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn few_values_are_insufficient_whatever_the_medians() {
        let before = Summary::of((1..=7).map(|v| f64::from(v) * 10.0).collect());
        let now = Summary::of((1..=6).map(|v| f64::from(v) * 7.0).collect());
        let c = compare(&now, &before, 8);
        assert_eq!(c.change, ChangeKind::Insufficient);
        assert_eq!(c.p_value, None);
        assert_eq!((c.n_previous, c.n_current), (7, 6));
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"change":"insufficient","p_value":null}"#
        );
    }

    #[test]
    fn a_clear_shift_is_lower_and_overlap_is_no_change() {
        let before = Summary::of((20..30).map(f64::from).collect());
        let now = Summary::of((1..11).map(f64::from).collect());
        let c = compare(&now, &before, 8);
        assert_eq!(c.change, ChangeKind::Lower);
        assert!(c.p_value.unwrap() < 0.001);
        assert_eq!(compare(&before, &now, 8).change, ChangeKind::Higher);
        let mixed = Summary::of((1..11).map(|v| f64::from(v) + 0.5).collect());
        let c = compare(&mixed, &now, 8);
        assert_eq!(c.change, ChangeKind::NoChange);
        assert_eq!(
            serde_json::to_value(c).unwrap()["change"],
            serde_json::json!("no-change")
        );
    }
}
