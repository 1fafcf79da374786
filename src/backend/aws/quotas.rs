//! The published request quotas of every API the adapter calls, and the budget the console
//! keeps for each: a share of the account's token bucket in the region (the rest is the user's
//! production traffic). The table is data, kept with where it was read and when, so a change
//! in AWS's numbers is a one-line edit here and the README's table follows (tests/repo).

/// The share of each published bucket the console takes when the settings name none.
pub const DEFAULT_SHARE: f64 = 0.1;
/// The smallest share accepted: below it some budgets would allow one call every few minutes.
pub const MIN_SHARE: f64 = 0.001;
/// A burst is at most this many seconds of the budgeted rate (and at most the share of the
/// bucket): the account's bucket is shared, and whatever the console takes at once, every
/// other caller waits for while it refills. With the default share this keeps
/// DescribeExecution at or under 2 calls/s in any 10 s window.
pub const BURST_SECONDS: f64 = 3.0;

/// The regions where Step Functions publishes its larger buckets (and where the Rekognition
/// values below assume the larger rates); every other region gets the smaller ones.
pub const LARGE_REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];

/// A token bucket: `size` tokens at most, `refill` tokens per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub size: f64,
    pub refill: f64,
}

const fn bucket(size: f64, refill: f64) -> Bucket {
    Bucket { size, refill }
}

/// What AWS allows one account in one region for an API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Allowance {
    /// A per-account bucket, larger in `LARGE_REGIONS`: the console takes the share of it.
    Shared { large: Bucket, other: Bucket },
    /// Nothing per account worth sharing (S3 scales per key prefix to thousands of requests a
    /// second; STS is asked once per connection): a fixed budget, whatever the share.
    Fixed(Bucket),
}

/// Where a quota was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    pub url: &'static str,
    /// The day the numbers were read there (ISO 8601).
    pub read_on: &'static str,
    /// What the numbers are, when they are not simply the page's table.
    pub note: &'static str,
}

/// One API as the adapter names it (`ApiCall::operation`, the IAM action name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub service: &'static str,
    pub operation: &'static str,
    pub allowance: Allowance,
    pub source: &'static Source,
}

pub const STEP_FUNCTIONS: Source = Source {
    url: "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
    read_on: "2026-12-03",
    note: "\"Quotas related to API action throttling\" (StartExecution) and \"Other quotas\": \
           bucket size and refill rate per second, per account and region",
};

pub const REKOGNITION: Source = Source {
    url: "https://docs.aws.amazon.com/general/latest/gr/rekognition.html",
    read_on: "2026-12-03",
    note: "transactions per second per account and region, a bucket of one second assumed; the \
           page's per-region table could not be read here, so these are conservative values \
           (50 TPS for searching and indexing in the large regions, 5 elsewhere and for \
           listing, deleting and collections): check the Service Quotas console",
};

pub const S3: Source = Source {
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html",
    read_on: "2026-12-03",
    note: "at least 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per \
           partitioned prefix, no per-account bucket: the console keeps a fixed 50/s",
};

pub const STS: Source = Source {
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    read_on: "2026-12-03",
    note: "GetCallerIdentity is asked once per connection: a fixed small budget",
};

const fn shared(
    service: &'static str,
    operation: &'static str,
    large: Bucket,
    other: Bucket,
    source: &'static Source,
) -> Quota {
    Quota {
        service,
        operation,
        allowance: Allowance::Shared { large, other },
        source,
    }
}

const fn fixed(
    service: &'static str,
    operation: &'static str,
    budget: Bucket,
    source: &'static Source,
) -> Quota {
    Quota {
        service,
        operation,
        allowance: Allowance::Fixed(budget),
        source,
    }
}

/// Rekognition publishes a rate (TPS), not a bucket: one second of it.
const fn tps(rate: f64) -> Bucket {
    bucket(rate, rate)
}

const S3_BUDGET: Bucket = bucket(50.0, 50.0);

/// Every API the adapter calls (a test keeps this complete).
#[rustfmt::skip]
pub const QUOTAS: &[Quota] = &[
    //     service        operation              large regions            elsewhere
    shared("states",      "ListStateMachines",   bucket(100.0, 5.0),     bucket(100.0, 5.0),   &STEP_FUNCTIONS),
    shared("states",      "ListExecutions",      bucket(200.0, 5.0),     bucket(100.0, 2.0),   &STEP_FUNCTIONS),
    shared("states",      "DescribeExecution",   bucket(300.0, 15.0),    bucket(250.0, 10.0),  &STEP_FUNCTIONS),
    shared("states",      "DescribeStateMachineForExecution", bucket(200.0, 1.0), bucket(200.0, 1.0), &STEP_FUNCTIONS),
    shared("states",      "GetExecutionHistory", bucket(400.0, 20.0),    bucket(400.0, 20.0),  &STEP_FUNCTIONS),
    shared("states",      "StartExecution",      bucket(1300.0, 300.0),  bucket(800.0, 150.0), &STEP_FUNCTIONS),
    shared("states",      "StopExecution",       bucket(1000.0, 200.0),  bucket(500.0, 25.0),  &STEP_FUNCTIONS),
    shared("states",      "RedriveExecution",    bucket(1300.0, 300.0),  bucket(800.0, 150.0), &STEP_FUNCTIONS),
    shared("states",      "CreateStateMachine",  bucket(100.0, 1.0),     bucket(100.0, 1.0),   &STEP_FUNCTIONS),
    shared("rekognition", "ListFaces",           tps(5.0),               tps(5.0),             &REKOGNITION),
    shared("rekognition", "DescribeCollection",  tps(5.0),               tps(5.0),             &REKOGNITION),
    shared("rekognition", "SearchFaces",         tps(50.0),              tps(5.0),             &REKOGNITION),
    shared("rekognition", "SearchFacesByImage",  tps(50.0),              tps(5.0),             &REKOGNITION),
    shared("rekognition", "DeleteFaces",         tps(5.0),               tps(5.0),             &REKOGNITION),
    shared("rekognition", "IndexFaces",          tps(50.0),              tps(5.0),             &REKOGNITION),
    shared("rekognition", "CreateCollection",    tps(5.0),               tps(5.0),             &REKOGNITION),
    fixed("s3",           "ListAllMyBuckets",    S3_BUDGET,                                    &S3),
    fixed("s3",           "ListBucket",          S3_BUDGET,                                    &S3),
    fixed("s3",           "GetObject",           S3_BUDGET,                                    &S3),
    fixed("s3",           "PutObject",           S3_BUDGET,                                    &S3),
    fixed("s3",           "DeleteObject",        S3_BUDGET,                                    &S3),
    fixed("s3",           "CreateBucket",        S3_BUDGET,                                    &S3),
    fixed("sts",          "GetCallerIdentity",   bucket(2.0, 1.0),                             &STS),
];

/// An API missing from the table (a test keeps that from happening) gets the smallest
/// Step Functions bucket: being too slow is safe, being too fast is not.
const UNKNOWN: Quota = shared(
    "",
    "",
    bucket(100.0, 1.0),
    bucket(100.0, 1.0),
    &STEP_FUNCTIONS,
);

/// What the console allows itself for one API: at most `burst` calls at once, `rate` per
/// second sustained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub burst: f64,
    pub rate: f64,
}

/// A share as given (settings, options) made safe: NaN or none is the default, and it is kept
/// within [`MIN_SHARE`, 1].
pub fn effective_share(share: Option<f64>) -> f64 {
    match share {
        Some(s) if s.is_finite() => s.clamp(MIN_SHARE, 1.0),
        _ => DEFAULT_SHARE,
    }
}

pub fn quota(operation: &str) -> &'static Quota {
    QUOTAS
        .iter()
        .find(|q| q.operation == operation)
        .unwrap_or(&UNKNOWN)
}

impl Quota {
    /// The published bucket in `region` (for a fixed allowance, the fixed budget).
    pub fn bucket_in(&self, region: &str) -> Bucket {
        match self.allowance {
            Allowance::Shared { large, .. } if LARGE_REGIONS.contains(&region) => large,
            Allowance::Shared { other, .. } => other,
            Allowance::Fixed(bucket) => bucket,
        }
    }

    /// The console's budget in `region` with `share` of the account's bucket: the share of the
    /// refill rate, and a burst of the share of the bucket but at most `BURST_SECONDS` of that
    /// rate (and at least one call, or nothing could ever be sent).
    pub fn budget(&self, region: &str, share: f64) -> Budget {
        let bucket = self.bucket_in(region);
        match self.allowance {
            Allowance::Fixed(_) => Budget {
                burst: bucket.size,
                rate: bucket.refill,
            },
            Allowance::Shared { .. } => {
                let rate = share * bucket.refill;
                Budget {
                    burst: (share * bucket.size).min(rate * BURST_SECONDS).max(1.0),
                    rate,
                }
            }
        }
    }
}

/// A number as the README writes it: `1.5`, `0.25`, `300`.
fn number(n: f64) -> String {
    let text = format!("{n:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The README's table of budgets (checked against it by tests/repo): per API, AWS's quota in
/// the large regions and elsewhere, and what the console keeps of it with `share`.
pub fn readme_table(share: f64) -> String {
    let large = LARGE_REGIONS.join(", ");
    let mut out = format!(
        "| API | AWS per account: bucket, refill/s ({large} · elsewhere) | stepdeck at {}%: \
         burst, calls/s ({large} · elsewhere) |\n|---|---|---|\n",
        number(share * 100.0)
    );
    for quota in QUOTAS {
        let (aws, ours) = match quota.allowance {
            Allowance::Shared { large, other } => {
                let (l, o) = (
                    quota.budget(LARGE_REGIONS[0], share),
                    quota.budget("elsewhere", share),
                );
                (
                    format!(
                        "{}, {} · {}, {}",
                        number(large.size),
                        number(large.refill),
                        number(other.size),
                        number(other.refill)
                    ),
                    format!(
                        "{}, {} · {}, {}",
                        number(l.burst),
                        number(l.rate),
                        number(o.burst),
                        number(o.rate)
                    ),
                )
            }
            Allowance::Fixed(budget) => (
                "no per-account bucket".to_string(),
                format!("{}, {} (fixed)", number(budget.size), number(budget.refill)),
            ),
        };
        out.push_str(&format!(
            "| `{}:{}` | {aws} | {ours} |\n",
            quota.service, quota.operation
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The operations the adapter's source names in `ApiCall::new("service", "Operation", …)`.
    fn operations_called() -> Vec<(String, String)> {
        let sources = [
            include_str!("mod.rs"),
            include_str!("faces.rs"),
            include_str!("objects.rs"),
        ];
        let mut found = Vec::new();
        for source in sources {
            for (at, _) in source.match_indices("ApiCall::new(") {
                let literals: Vec<&str> =
                    source[at..].split('"').skip(1).step_by(2).take(2).collect();
                found.push((literals[0].to_string(), literals[1].to_string()));
            }
        }
        found
    }

    #[test]
    fn every_api_the_adapter_calls_has_a_quota() {
        let called = operations_called();
        assert!(called.len() >= 20, "{called:?}");
        for (service, operation) in called {
            let quota = quota(&operation);
            assert_eq!(
                (quota.service, quota.operation),
                (service.as_str(), operation.as_str()),
                "no quota for {service}:{operation}"
            );
        }
    }

    #[test]
    fn describe_execution_budget_is_a_share_of_the_regions_bucket() {
        let describe = quota("DescribeExecution");
        assert_eq!(describe.bucket_in("us-east-1"), bucket(300.0, 15.0));
        assert_eq!(describe.bucket_in("ap-southeast-2"), bucket(250.0, 10.0));
        let large = describe.budget("eu-west-1", DEFAULT_SHARE);
        assert!((large.rate - 1.5).abs() < 1e-9, "{large:?}");
        // 10% of 300 would be 30 at once; three seconds of the rate is the bound.
        assert!((large.burst - 4.5).abs() < 1e-9, "{large:?}");
        // So any 10 s window holds at most 4.5 + 15 calls: under 2/s.
        assert!(large.burst + 10.0 * large.rate <= 20.0);
        let other = describe.budget("sa-east-1", DEFAULT_SHARE);
        assert!((other.rate - 1.0).abs() < 1e-9 && (other.burst - 3.0).abs() < 1e-9);
    }

    #[test]
    fn budgets_never_exceed_the_share_and_allow_one_call() {
        for share in [MIN_SHARE, 0.05, DEFAULT_SHARE, 0.5, 1.0] {
            for quota in QUOTAS {
                for region in ["us-east-1", "ap-south-2"] {
                    let budget = quota.budget(region, share);
                    let bucket = quota.bucket_in(region);
                    assert!(budget.burst >= 1.0, "{quota:?} {share}");
                    if let Allowance::Shared { .. } = quota.allowance {
                        assert!(budget.rate <= share * bucket.refill + 1e-12);
                        assert!(budget.burst <= (share * bucket.size).max(1.0) + 1e-12);
                    }
                }
            }
        }
        // S3 keeps its fixed budget whatever the share.
        assert_eq!(
            quota("GetObject").budget("us-east-1", MIN_SHARE),
            Budget {
                burst: 50.0,
                rate: 50.0
            }
        );
    }

    #[test]
    fn shares_are_made_safe() {
        assert_eq!(effective_share(None), DEFAULT_SHARE);
        assert_eq!(effective_share(Some(f64::NAN)), DEFAULT_SHARE);
        assert_eq!(effective_share(Some(0.0)), MIN_SHARE);
        assert_eq!(effective_share(Some(7.0)), 1.0);
        assert_eq!(effective_share(Some(0.25)), 0.25);
    }

    #[test]
    fn an_unknown_api_gets_the_smallest_budget() {
        let unknown = quota("NoSuchOperation").budget("us-east-1", DEFAULT_SHARE);
        assert_eq!(
            unknown,
            Budget {
                burst: 1.0,
                rate: 0.1
            }
        );
    }

    #[test]
    fn the_readme_table_has_a_row_per_api() {
        let table = readme_table(DEFAULT_SHARE);
        assert_eq!(table.lines().count(), 2 + QUOTAS.len());
        assert!(
            table.contains("| `states:DescribeExecution` | 300, 15 · 250, 10 | 4.5, 1.5 · 3, 1 |"),
            "{table}"
        );
        assert!(table.contains("| `s3:GetObject` | no per-account bucket | 50, 50 (fixed) |"));
    }
}
