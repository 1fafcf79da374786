//! The AWS backend through the real SDK clients: against moto server (`STEPDECK_TEST_ENDPOINT`,
//! set by `scripts/test.sh`), against a scripted HTTP server for the answers moto never
//! gives, and through the fault-injecting proxy in front of moto (`STEPDECK_TEST_PROXY`, see
//! proxy.rs) for throttling, denials, lost answers and AWS-like paging. The credentials and
//! profiles test is a binary of its own (`tests/aws_credentials.rs`) because it rewrites the
//! process's AWS environment.

mod common;
mod proxy;

mod backend;
mod budget;
mod console;
mod console_budget;
mod dashboard;
mod faults;
mod follow;
mod store;
mod suites;
mod wire_errors;
mod writes;
