//! The parameters of one replication: every uncertain input drawn once, and the service bands.

use crate::scenario::{OnCosts, Spec};
use crate::sim::rng::RepStream;

/// Monthly leaving probability from an annual rate, assuming a constant hazard through the year.
pub fn monthly_hazard(annual: f64) -> f64 {
    let a = annual.clamp(0.0, 1.0);
    if a >= 1.0 {
        1.0
    } else {
        1.0 - (1.0 - a).powf(1.0 / 12.0)
    }
}

/// The parameters of one replication: every uncertain input drawn once.
#[derive(Clone, Debug)]
pub struct Draws {
    /// Monthly leaving probability by grade and months of service (capped at the last band edge).
    pub hazard: Vec<Vec<f64>>,
    pub pass_rate: Vec<f64>,
    pub fill: Vec<f64>,
    pub promote_share: Vec<f64>,
    pub cover: Vec<f64>,
    /// Agency charge per FTE-month by post group, before April uplifts.
    pub agency_monthly: Vec<f64>,
    pub churn: f64,
    pub conversion: f64,
    pub conversion_fee: f64,
    pub agency_fill: f64,
    pub agency_uplift: f64,
    pub cost_per_hire: f64,
    pub pay_award: f64,
    pub pay_award_flat: f64,
    pub asye_grant: f64,
    pub on_cost_rate: f64,
    pub ni_rate: f64,
    pub ni_threshold: f64,
    pub pension_rate: f64,
    /// Per pipeline: chance a trainee completes and joins; cost per trainee per month.
    pub pipeline_join: Vec<f64>,
    pub pipeline_monthly_cost: Vec<f64>,
}

impl Draws {
    pub fn new(spec: &Spec, stream: &RepStream) -> Self {
        let cap = *spec.band_edges.last().expect("at least one band edge") as usize;
        let g_n = spec.grades.len();
        // Premium effects: proportional changes, combined multiplicatively.
        let mut leave_mult = vec![1.0; g_n];
        let mut hire_mult_grade = vec![1.0; g_n];
        for p in &spec.premiums {
            let l = 1.0 + p.leaving_effect.draw(stream);
            let h = 1.0 + p.hiring_effect.draw(stream);
            for &g in &p.grades {
                leave_mult[g] *= l;
                hire_mult_grade[g] *= h;
            }
        }
        let hazard = spec
            .grades
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                // One hazard per band, then spread over months of service: the same numbers as
                // computing each month's, with far fewer powers.
                let per_band: Vec<f64> = g
                    .leaving
                    .iter()
                    .map(|p| monthly_hazard(p.draw(stream) * leave_mult[gi]))
                    .collect();
                (0..=cap)
                    .map(|los| per_band[band_of(&spec.band_edges, los as u32)])
                    .collect()
            })
            .collect();
        let pass_rate = spec
            .grades
            .iter()
            .map(|g| {
                g.progression
                    .as_ref()
                    .map_or(0.0, |p| p.pass_rate.draw(stream))
            })
            .collect();
        let fill =
            spec.posts
                .iter()
                .map(|p| {
                    let mult = p.recruit.iter().map(|&(g, _)| hire_mult_grade[g]).fold(
                        1.0,
                        |acc: f64, m| {
                            if (m - 1.0).abs() > (acc - 1.0).abs() {
                                m
                            } else {
                                acc
                            }
                        },
                    );
                    (p.fill_probability.draw(stream) * mult).clamp(0.0, 1.0)
                })
                .collect();
        let (on_cost_rate, ni_rate, ni_threshold, pension_rate) = match &spec.costs.on_costs {
            OnCosts::Rate(r) => (r.draw(stream), 0.0, 0.0, 0.0),
            OnCosts::Separate {
                ni_rate,
                ni_threshold,
                pension_rate,
            } => (
                0.0,
                ni_rate.draw(stream),
                *ni_threshold,
                pension_rate.draw(stream),
            ),
        };
        Draws {
            hazard,
            pass_rate,
            fill,
            promote_share: spec
                .posts
                .iter()
                .map(|p| p.promote_share.draw(stream))
                .collect(),
            cover: spec
                .posts
                .iter()
                .map(|p| p.agency_cover.draw(stream))
                .collect(),
            agency_monthly: spec
                .posts
                .iter()
                .map(|p| {
                    // A daily rate is charged for 5 days a week; an hourly one for hours_per_week.
                    let units = if p.agency_rate_per_day {
                        5.0
                    } else {
                        spec.agency.hours_per_week
                    };
                    p.agency_rate.draw(stream) * units * spec.agency.weeks_per_year / 12.0
                })
                .collect(),
            churn: spec.agency.monthly_churn.draw(stream),
            conversion: spec.agency.monthly_conversion.draw(stream),
            conversion_fee: spec.agency.conversion_fee.draw(stream),
            agency_fill: spec.agency.fill_probability.draw(stream),
            agency_uplift: spec.agency.annual_rate_uplift.draw(stream),
            cost_per_hire: spec.cost_per_hire.draw(stream),
            pay_award: spec.costs.pay_award.draw(stream),
            pay_award_flat: spec.costs.pay_award_flat.draw(stream),
            asye_grant: spec.costs.asye_grant.draw(stream),
            on_cost_rate,
            ni_rate,
            ni_threshold,
            pension_rate,
            pipeline_join: spec
                .pipelines
                .iter()
                .map(|p| p.completion_rate.draw(stream) * p.join_rate.draw(stream))
                .collect(),
            pipeline_monthly_cost: spec
                .pipelines
                .iter()
                .map(|p| p.cost_per_trainee.draw(stream) / f64::from(p.duration_months))
                .collect(),
        }
    }

    /// Employer on-costs on an annual pay figure.
    pub(super) fn on_costs(&self, annual_pay: f64) -> f64 {
        self.on_cost_rate * annual_pay
            + self.ni_rate * (annual_pay - self.ni_threshold).max(0.0)
            + self.pension_rate * annual_pay
    }
}

/// The service band of `los` months: the number of band edges at or below it.
pub fn band_of(edges: &[u32], los: u32) -> usize {
    edges.iter().take_while(|&&e| e <= los).count()
}

/// Splits `n` workers over `shares` by largest remainder, so the counts add up to `n` exactly.
pub fn apportion(n: u32, shares: &[f64]) -> Vec<u32> {
    let raw: Vec<f64> = shares.iter().map(|s| s * f64::from(n)).collect();
    let mut counts: Vec<u32> = raw.iter().map(|x| x.floor() as u32).collect();
    let mut left = n - counts.iter().sum::<u32>().min(n);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// The starting months of service of `count` workers in band `band`, spread evenly across it.
/// The open last band is taken to run from its lower edge to twice that edge.
pub fn starting_service(edges: &[u32], band: usize, count: u32) -> impl Iterator<Item = u16> {
    let lo = if band == 0 { 0 } else { edges[band - 1] };
    let hi = if band < edges.len() {
        edges[band]
    } else {
        2 * edges[edges.len() - 1]
    };
    let width = f64::from(hi - lo);
    (0..count).map(move |k| {
        (f64::from(lo) + ((f64::from(k) + 0.5) * width / f64::from(count)).floor()) as u16
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazard_compounds_to_the_annual_rate() {
        for a in [0.0, 0.1, 0.25, 0.9] {
            let h = monthly_hazard(a);
            assert!((1.0 - (1.0 - h).powi(12) - a).abs() < 1e-12);
        }
        assert_eq!(monthly_hazard(1.0), 1.0);
    }

    #[test]
    fn apportion_keeps_the_total() {
        assert_eq!(apportion(10, &[0.25, 0.25, 0.5]), vec![3, 2, 5]);
        assert_eq!(apportion(39, &[1.0, 0.0, 0.0, 0.0]), vec![39, 0, 0, 0]);
        assert_eq!(apportion(7, &[0.3, 0.3, 0.4]).iter().sum::<u32>(), 7);
        assert_eq!(apportion(0, &[0.5, 0.5]), vec![0, 0]);
    }

    #[test]
    fn bands_and_starting_service() {
        let edges = [12, 24, 60];
        assert_eq!(band_of(&edges, 0), 0);
        assert_eq!(band_of(&edges, 11), 0);
        assert_eq!(band_of(&edges, 12), 1);
        assert_eq!(band_of(&edges, 60), 3);
        let v: Vec<u16> = starting_service(&edges, 0, 4).collect();
        assert_eq!(v, vec![1, 4, 7, 10]);
        let v: Vec<u16> = starting_service(&edges, 3, 2).collect();
        assert_eq!(v, vec![75, 105]);
    }
}
