//! The AWS backend through the real SDK clients: against moto server (`STEPDECK_TEST_ENDPOINT`,
//! set by `scripts/test.sh`) and against a scripted HTTP server for the answers moto never
//! gives. The credentials and profiles test is a binary of its own (`tests/aws_credentials.rs`)
//! because it rewrites the process's AWS environment.

mod common;

mod backend;
mod budget;
mod follow;
mod wire_errors;
